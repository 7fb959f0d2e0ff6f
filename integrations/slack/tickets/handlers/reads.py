"""Read sub-commands of the ticket command: list, team, report, search.

All reads start from tickets.selectors (visibility of the person asking); the figures of
``team`` and ``report`` come from tickets.reports, which aggregates in SQL. This module
only parses the words and renders.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from erp.people.models import Department
from erp.people.names import display_name
from erp.workcalendar.calendar import KST
from integrations.slack.core.blocks import escape
from integrations.slack.core.outbox import enqueue
from integrations.slack.inbound.replies import SlackUserError, ephemeral
from integrations.slack.tickets.blocks.reports import (
    LIST_LIMIT,
    report_blocks,
    ticket_list_section,
    workload_blocks,
)
from integrations.slack.tickets.handlers.common import (
    first_lines,
    limited,
    my_first_lines,
    person_named,
    slack_text_to_plain,
)
from tickets.filters import text_search_lines
from tickets.models import ACTIVE_STATUSES, NUMBER_RE
from tickets.reports import Period, day_period, team_workload, ticket_report, week_period
from tickets.selectors import list_tickets

CHANNEL_MENTION = re.compile(r"<#([CG][A-Z0-9]+)(?:\|[^>]*)?>")
DAILY_WORDS = {"", "daily", "day", "today", "일간", "일일", "오늘"}
WEEKLY_WORDS = {"weekly", "week", "주간", "이번주", "금주"}
SEARCH_MAX = 100  # the FilterSet's q max_length


def looks_like_ref(word: str) -> bool:
    return bool(NUMBER_RE.match(word or ""))


def _first_word(text: str) -> str:
    parts = (text or "").split()
    return parts[0] if parts else ""


def list_command(cmd, who, rest) -> dict:
    """Open tickets assigned to me (and requested by me), or assigned to a mentioned person."""
    word = _first_word(rest)
    blocks = []
    if word:
        person = person_named(who, word)
        if person is None:
            raise SlackUserError(_("Mention the person (@name) or write “me”."))
        if person.pk != who.user.pk:
            name = display_name(person)
            assigned = list_tickets(who.user).filter(assignee=person, status__in=ACTIVE_STATUSES)
            rows, more = first_lines(assigned.order_by("resolution_due", "id"))
            title = _("Open tickets assigned to %(name)s") % {"name": name}
            blocks += ticket_list_section(title, rows, empty=_("Nothing open that you can see."), more=more)
            return ephemeral(title, blocks)
    rows, more = my_first_lines(who, "assignee")
    blocks += ticket_list_section(
        _("Assigned to me"), rows, empty=_("Nothing assigned to you."), more=more, show_assignee=False
    )
    rows, more = my_first_lines(who, "requester")
    blocks += ticket_list_section(_("Requested by me"), rows, empty=_("No open requests."), more=more)
    return ephemeral(_("My open tickets"), blocks)


def _group_from(who, word: str) -> Department:
    if not word:
        department = who.employee.department
        if department is None:
            raise SlackUserError(_("You belong to no group; name one, e.g. `team infra`."))
        return department
    match = CHANNEL_MENTION.fullmatch(word)
    groups = Department.objects.filter(is_active=True)
    if match:
        group = groups.filter(slack_channel_id=match.group(1)).first()
    else:
        name = slack_text_to_plain(word).lstrip("#@")
        group = groups.filter(Q(code__iexact=name) | Q(name__iexact=name) | Q(slack_channel_name__iexact=name)).first()
    if group is None:
        raise SlackUserError(_("No group called “%(name)s”.") % {"name": escape(word[:60])})
    return group


def team_command(cmd, who, rest) -> dict:
    """A group's open workload (tickets.reports.team_workload: what ``who`` may see)."""
    group = _group_from(who, rest.strip())
    text, blocks = workload_blocks(team_workload(user=who.user, group=group, assignees=LIST_LIMIT))
    return ephemeral(text, blocks)


def report_period(word: str, today: date | None = None) -> Period:
    """Today or this week (Mon–Sun), cut at KST midnight, from the command's word."""
    today = today or timezone.localdate(timezone=KST)
    word = word.lower()
    if word in DAILY_WORDS:
        return day_period(today)
    if word in WEEKLY_WORDS:
        return week_period(today)
    raise SlackUserError(_("Use `report daily` (일간) or `report weekly` (주간)."))


def report_command(cmd, who, rest) -> dict:
    """Post the daily or weekly report to the channel the command was typed in (via the outbox).

    Who may see which report is tickets.reports' decision: its PermissionDenied becomes
    the ephemeral answer.
    """
    report = ticket_report(user=who.user, period=report_period(_first_word(rest)))
    text, blocks = report_blocks(report, requested_by=who.employee.display_name)
    enqueue(kind="tickets.report", target=cmd.origin.channel_id, text=text, blocks=blocks)
    return ephemeral(_("The report is being posted to this channel."))


def search_command(cmd, who, rest) -> dict:
    """The portal's search (the one TicketFilter's ``q``, Korean-aware) over what the person may see."""
    words = " ".join(slack_text_to_plain(rest).split())[:SEARCH_MAX]
    if not words:
        raise SlackUserError(_("What should I search for? e.g. `search VPN 장애`."))
    try:
        rows, more = limited(text_search_lines(who.user, words, LIST_LIMIT + 1))
    except ValidationError as exc:
        raise SlackUserError(_("This search cannot run: %(problems)s") % {"problems": " ".join(exc.messages)})
    title = _("Search: %(words)s") % {"words": words}
    return ephemeral(title, ticket_list_section(title, rows, empty=_("No tickets found."), more=more))
