"""Read sub-commands of the ticket command: list, team, report, search.

All reads start from tickets.selectors (visibility of the person asking) and aggregate in
SQL (COUNT … FILTER / GROUP BY), never row by row in Python.
"""

import re
from datetime import datetime, time, timedelta

from django.db.models import Avg, Count, Q
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
    Report,
    Workload,
    report_blocks,
    ticket_list_section,
    workload_blocks,
)
from integrations.slack.tickets.handlers.common import person_named, slack_text_to_plain
from tickets.filters import TicketFilter
from tickets.models import ACTIVE_STATUSES, NUMBER_RE, Priority, SatisfactionRating, Status
from tickets.selectors import is_ticket_admin, list_tickets, my_open_assigned, my_requested, visible_tickets

CHANNEL_MENTION = re.compile(r"<#([CG][A-Z0-9]+)(?:\|[^>]*)?>")
DAILY_WORDS = {"", "daily", "day", "today", "일간", "일일", "오늘"}
WEEKLY_WORDS = {"weekly", "week", "주간", "이번주", "금주"}
SEARCH_MAX = 100  # the FilterSet's q max_length


def looks_like_ref(word: str) -> bool:
    return bool(NUMBER_RE.match(word or ""))


def _first_word(text: str) -> str:
    parts = (text or "").split()
    return parts[0] if parts else ""


def _limited(queryset) -> tuple[list, bool]:
    rows = list(queryset[: LIST_LIMIT + 1])
    return rows[:LIST_LIMIT], len(rows) > LIST_LIMIT


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
            rows, more = _limited(assigned.order_by("resolution_due", "id"))
            title = _("Open tickets assigned to %(name)s") % {"name": name}
            blocks += ticket_list_section(title, rows, empty=_("Nothing open that you can see."), more=more)
            return ephemeral(title, blocks)
    rows, more = _limited(my_open_assigned(who.user))
    blocks += ticket_list_section(
        _("Assigned to me"), rows, empty=_("Nothing assigned to you."), more=more, show_assignee=False
    )
    rows, more = _limited(my_requested(who.user).filter(status__in=ACTIVE_STATUSES))
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


def _labelled(rows, key: str, labels: dict) -> list[tuple[str, int]]:
    return [(str(labels.get(row[key], row[key] or "—")), row["n"]) for row in rows]


def team_command(cmd, who, rest) -> dict:
    """A group's open workload: by status, by priority, SLA breaches, per assignee."""
    group = _group_from(who, rest.strip())
    open_tickets = visible_tickets(who.user).filter(group=group, status__in=ACTIVE_STATUSES)
    totals = open_tickets.aggregate(
        total=Count("id"),
        breached=Count("id", filter=Q(sla_state="breached")),
        at_risk=Count("id", filter=Q(sla_state="at_risk")),
    )
    by_status = open_tickets.values("status").annotate(n=Count("id")).order_by("status")
    by_priority = open_tickets.values("priority").annotate(n=Count("id")).order_by("priority")
    per_assignee = (
        open_tickets.values("assignee__employee__display_name", "assignee__username")
        .annotate(n=Count("id"))
        .order_by("-n", "assignee__employee__display_name")[:LIST_LIMIT]
    )
    load = Workload(
        group_name=group.name,
        total=totals["total"],
        by_status=_labelled(by_status, "status", dict(Status.choices)),
        by_priority=_labelled(by_priority, "priority", dict(Priority.choices)),
        breached=totals["breached"],
        at_risk=totals["at_risk"],
        by_assignee=[
            (row["assignee__employee__display_name"] or row["assignee__username"] or str(_("Unassigned")), row["n"])
            for row in per_assignee
        ],
    )
    text, blocks = workload_blocks(load)
    return ephemeral(text, blocks)


def report_period(word: str, now: datetime | None = None) -> tuple[datetime, datetime, str]:
    """[start, end) of today or this week (Mon–Sun) in KST, cut at KST midnight."""
    now = timezone.localtime(now or timezone.now(), KST)
    word = word.lower()
    if word in DAILY_WORDS:
        start = datetime.combine(now.date(), time.min, tzinfo=KST)
        return start, start + timedelta(days=1), now.strftime("%Y-%m-%d")
    if word in WEEKLY_WORDS:
        monday = now.date() - timedelta(days=now.weekday())
        start = datetime.combine(monday, time.min, tzinfo=KST)
        end = start + timedelta(days=7)
        return start, end, f"{monday:%Y-%m-%d} – {(end - timedelta(days=1)).date():%Y-%m-%d}"
    raise SlackUserError(_("Use `report daily` (일간) or `report weekly` (주간)."))


def build_report(who, word: str) -> Report:
    start, end, label = report_period(word)
    user = who.user
    scope = visible_tickets(user)
    if is_ticket_admin(user):
        scope_label = _("All groups")
    else:
        department = who.employee.department
        scope = scope.filter(group=department)
        scope_label = department.name
    in_period = Q(created_at__gte=start, created_at__lt=end)
    figures = scope.aggregate(
        created=Count("id", filter=in_period),
        resolved=Count("id", filter=Q(resolved_at__gte=start, resolved_at__lt=end)),
        closed=Count("id", filter=Q(closed_at__gte=start, closed_at__lt=end)),
        open_now=Count("id", filter=Q(status__in=ACTIVE_STATUSES)),
        breached=Count("id", filter=in_period & (Q(resolution_breached=True) | Q(first_response_breached=True))),
    )
    satisfaction = SatisfactionRating.objects.filter(
        ticket__in=scope.values("pk"), updated_at__gte=start, updated_at__lt=end
    ).aggregate(ratings=Count("pk"), avg_satisfaction=Avg("score"))
    opened = scope.filter(in_period)
    by_priority = opened.values("priority").annotate(n=Count("id")).order_by("priority")
    by_group = opened.values("group__name").annotate(n=Count("id")).order_by("-n", "group__name")[:10]
    return Report(
        scope=scope_label,
        period_label=label,
        by_priority=_labelled(by_priority, "priority", dict(Priority.choices)),
        by_group=[(row["group__name"] or str(_("No group")), row["n"]) for row in by_group],
        requested_by=who.employee.display_name,
        **figures,
        ratings=satisfaction["ratings"],
        avg_satisfaction=None if satisfaction["avg_satisfaction"] is None else float(satisfaction["avg_satisfaction"]),
    )


def report_command(cmd, who, rest) -> dict:
    """Post the daily or weekly report to the channel the command was typed in (via the outbox)."""
    if not (who.employee.is_agent or is_ticket_admin(who.user)):
        raise SlackUserError(_("Only agents and managers can post ticket reports."))
    if not is_ticket_admin(who.user) and who.employee.department is None:
        raise SlackUserError(_("You belong to no group, so there is nothing to report."))
    report = build_report(who, _first_word(rest))
    text, blocks = report_blocks(report)
    enqueue(kind="tickets.report", target=cmd.origin.channel_id, text=text, blocks=blocks)
    return ephemeral(_("The report is being posted to this channel."))


def search_command(cmd, who, rest) -> dict:
    """The portal's search (the one TicketFilter, Korean-aware) over what the person may see."""
    words = " ".join(slack_text_to_plain(rest).split())[:SEARCH_MAX]
    if not words:
        raise SlackUserError(_("What should I search for? e.g. `search VPN 장애`."))
    search = TicketFilter({"q": words}, queryset=list_tickets(who.user), user=who.user)
    # An invalid filter is silently left out of .qs, which would list every visible ticket.
    if not search.is_valid():
        problems = " ".join(str(message) for messages in search.errors.values() for message in messages)
        raise SlackUserError(_("This search cannot run: %(problems)s") % {"problems": problems})
    rows, more = _limited(search.qs.order_by("-updated_at", "-id"))
    title = _("Search: %(words)s") % {"words": words}
    return ephemeral(title, ticket_list_section(title, rows, empty=_("No tickets found."), more=more))
