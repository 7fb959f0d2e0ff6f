"""Shared pieces of the ticket handlers: finding tickets, Slack text, modals, refreshes."""

import re

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from erp.people.selectors import employee_by_slack_id
from integrations.slack.core.blocks import escape
from integrations.slack.inbound.deferred import respond_later
from integrations.slack.inbound.replies import SlackUserError, replace_original
from integrations.slack.tickets.blocks.reports import LIST_LIMIT, DetailButtons, ticket_detail
from integrations.slack.tickets.receivers import ticket_context
from tickets.models import ACTIVE_STATUSES, Ticket
from tickets.selectors import (
    allowed_actions,
    as_lines,
    latest_comment_excerpts,
    my_open_lines,
    parse_ticket_ref,
    ticket_for,
    ticket_summary_for,
)

DETAIL_COMMENTS = 3

USER_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|([^>]*))?>")
CHANNEL_MENTION = re.compile(r"<#([CG][A-Z0-9]+)(?:\|([^>]*))?>")
USERGROUP_MENTION = re.compile(r"<!subteam\^[A-Z0-9]+(?:\|([^>]*))?>")
SPECIAL_MENTION = re.compile(r"<!(here|channel|everyone)(?:\|[^>]*)?>")
LINK = re.compile(r"<((?:https?|mailto):[^>|]+)(?:\|([^>]*))?>")
ME_WORDS = {"me", "나", "내", "본인", "myself"}
UNASSIGN_WORDS = {"none", "nobody", "해제", "없음"}


def person_named(who, word: str):
    """The user a mention or "me" names (None to unassign); SlackUserError when unknown."""
    if word.lower() in ME_WORDS:
        return who.user
    if word.lower() in UNASSIGN_WORDS:
        return None
    match = USER_MENTION.fullmatch(word)
    if match:
        employee = employee_by_slack_id(match.group(1))
        if employee is None:
            raise SlackUserError(
                _("%(who)s is not linked to a Haru account.") % {"who": word}
            )  # a mention: shown as one
        return employee.user
    user = (
        get_user_model().objects.filter(username__iexact=word.lstrip("@"), is_active=True).select_related("employee")
    ).first()
    if user is None:
        raise SlackUserError(_("Mention the person (@name) or write “me”."))
    return user


def slack_text_to_plain(text: str) -> str:
    """Slack's escaped message text → the plain text a comment or ticket stores.

    Mentions become "@name" (the linked employee's name when Slack sent only the id),
    channels "#name", links "label (url)"; &amp; &lt; &gt; are unescaped.
    """

    def user(match):
        label = match.group(2)
        if not label:
            employee = employee_by_slack_id(match.group(1))
            label = employee.display_name if employee else match.group(1)
        return f"@{label}"

    text = USER_MENTION.sub(user, text or "")
    text = CHANNEL_MENTION.sub(lambda m: f"#{m.group(2) or m.group(1)}", text)
    text = LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})" if m.group(2) else m.group(1), text)
    text = USERGROUP_MENTION.sub(lambda m: "@" + (m.group(1) or "group").lstrip("@"), text)
    text = SPECIAL_MENTION.sub(lambda m: f"@{m.group(1)}", text)
    # Slack escapes exactly these three; &amp; last so "&amp;lt;" stays "&lt;".
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def first_lines(queryset) -> tuple[list, bool]:
    """The first LIST_LIMIT tickets as one-line summaries, and whether there are more."""
    return limited(list(as_lines(queryset)[: LIST_LIMIT + 1]))


def my_first_lines(who, side: str) -> tuple[list, bool]:
    """``first_lines`` of the open tickets ``who`` is the assignee or the requester of."""
    return limited(my_open_lines(who.user, side, LIST_LIMIT + 1))


def limited(rows: list) -> tuple[list, bool]:
    return rows[:LIST_LIMIT], len(rows) > LIST_LIMIT


def find_ticket(who, ref, *, for_detail: bool = False) -> Ticket:
    """The ticket ``ref`` points to, if ``who`` may see it; SlackUserError otherwise.

    ``for_detail``: read only what the ephemeral detail shows (tickets.selectors.with_people,
    prepared: ticket_summary_for), for a command that answers with it and changes nothing.
    """
    ref = str(ref or "").strip()
    if not ref:
        raise SlackUserError(_("Which ticket? Give its number, e.g. INC-12."))
    if parse_ticket_ref(ref) is None:
        raise SlackUserError(
            _("“%(ref)s” is not a ticket number (e.g. INC-12, SR-3 or 42).") % {"ref": escape(ref[:40])}
        )
    try:
        if for_detail:
            return ticket_summary_for(who.user, ref)
        return ticket_for(who.user, ref)
    except Ticket.DoesNotExist:
        raise SlackUserError(_not_found(ref))


def _not_found(ref: str) -> str:
    return _("Ticket %(ref)s was not found, or you cannot see it.") % {"ref": escape(ref[:40])}


def ticket_by_id_value(who, value) -> Ticket:
    """Button values carry the ticket's primary key."""
    return find_ticket(who, str(value or "").split(":", 1)[0])


def detail_buttons(user, ticket) -> DetailButtons:
    allowed = allowed_actions(user, ticket)
    active = ticket.status in ACTIVE_STATUSES
    return DetailButtons(
        assign=allowed["assign"] and active and ticket.assignee_id != user.pk,
        change_status=allowed["change_status"],
        comment=allowed["comment"],
        escalate=allowed["escalate"],
        close=allowed["close"],
    )


def detail(who, ticket) -> tuple[str, list]:
    """The ephemeral details of ``ticket`` as ``who`` may see them."""
    comments = latest_comment_excerpts(who.user, ticket, DETAIL_COMMENTS)
    return ticket_detail(ticket, ticket_context(ticket), detail_buttons(who.user, ticket), comments)


def refresh_detail_later(response_url: str, who, ticket: Ticket) -> None:
    """Replace an ephemeral ticket detail (it has no ts for chat.update) after commit.

    The ticket is read again through the permission-aware selector: the action may have
    hidden it from ``who`` (an escalation moving it to a group they are not in), and then
    the detail says so instead of showing the ticket's new state.
    """
    if not response_url:
        return
    try:
        current = ticket_summary_for(who.user, ticket.pk)
    except Ticket.DoesNotExist:
        respond_later(response_url, replace_original(_not_found(ticket.number)))
        return
    text, blocks = detail(who, current)
    respond_later(response_url, replace_original(text, blocks))


def interaction_metadata(interaction, ticket=None, **extra) -> dict:
    """What a modal must remember of the click that opened it.

    ``channel`` / ``ts`` / ``thread_ts`` also become the submission's Slack origin (the audit
    link, see inbound.payloads._view_origin). An ephemeral message has a ts but no permalink:
    its modal keeps only the channel, so the audit trail links no message rather than a dead one.
    """
    data = {
        "channel": interaction.origin.channel_id,
        "ts": "" if interaction.is_ephemeral else interaction.origin.message_ts,
        "thread_ts": "" if interaction.is_ephemeral else interaction.origin.thread_ts,
        # Only an ephemeral message needs its response_url to be refreshed later.
        "response_url": interaction.response_url if interaction.is_ephemeral else "",
        **extra,
    }
    if ticket is not None:
        data["ticket"] = ticket.pk
    return data
