"""The search slash command (settings.SLACK_SEARCH_COMMAND, default /haru-search).

``/haru-search 장애`` answers, only to the person asking, with the first hits of every module
they may see (the same history search as the portal, their permissions applied), each a link,
and a link to the whole result on the portal. ``help`` / ``도움말`` explains it. The answer is
in the person's language (the inbound view runs handlers inside ``speaking(who)``).
"""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from erp.history import engine
from erp.history.terms import MAX_QUERY_CHARS, MAX_WORDS, parse_words
from integrations.slack.core.blocks import context, escape, link, portal_url, section, truncate
from integrations.slack.history.blocks import hits_blocks
from integrations.slack.inbound.replies import ephemeral
from integrations.slack.tickets.handlers.common import slack_text_to_plain

HITS_PER_MODULE = 3
HELP_WORDS = {"help", "도움말", "도움", "?"}


def handle(cmd, who) -> dict:
    text = slack_text_to_plain(cmd.text or "").replace("\x00", "").strip()
    if not text or text.lower() in HELP_WORDS:
        return ephemeral(
            _("Search tickets, attendance corrections, people and more: `%(command)s words`, e.g. `%(example)s`.")
            % {"command": cmd.command, "example": f"{cmd.command} VPN장애"}
        )
    if len(text) > MAX_QUERY_CHARS or len(text.split()) > MAX_WORDS:
        return ephemeral(
            _("That search is too long: use at most %(chars)d characters and %(words)d words.")
            % {"chars": MAX_QUERY_CHARS, "words": MAX_WORDS}
        )
    request = engine.SearchRequest(words=parse_words(text))
    groups = engine.overview(who.user, request, hits=HITS_PER_MODULE)
    everything = portal_url(f"{reverse('history:search')}?{urlencode({'q': text})}")
    if not groups:
        return ephemeral(
            _("Nothing found for “%(text)s”.") % {"text": escape(truncate(text, 80))},
            [
                section(_("Nothing found for “%(text)s”.") % {"text": escape(truncate(text, 80))}),
                context(link(everything, _("Search on the portal"))),
            ],
        )
    fallback = _("Results for “%(text)s”") % {"text": escape(truncate(text, 80))}
    return ephemeral(fallback, hits_blocks(fallback, groups, everything))
