"""Routing: which Slack channels (and mentions) a ticket event goes to.

Rules (admin-editable, ordered) match on event kind, ticket type, priority, agent group and
the time window of the moment in the company calendar. With no matching rule the event goes
to the group's own channel, else to SLACK_DEFAULT_CHANNEL.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from erp.workcalendar.calendar import KST, get_calendar
from integrations.slack.core.models import RoutingRule, TimeWindow

# Events a rule can match (the ones posted to channels; updates follow the original message).
EVENT_KINDS = [
    ("tickets.created", _("New ticket")),
    ("tickets.escalated", _("Ticket escalated to another group")),
    ("tickets.sla_at_risk", _("SLA at risk")),
    ("tickets.sla_breached", _("SLA breached")),
]


def time_windows(moment: datetime) -> set[str]:
    """The windows ``moment`` falls in: business hours, or after hours (+ holiday on a holiday)."""
    local = moment.astimezone(KST)
    calendar = get_calendar()
    if calendar.is_holiday(local.date()):
        return {TimeWindow.HOLIDAY, TimeWindow.AFTER_HOURS}
    if calendar.is_working_moment(local):
        return {TimeWindow.BUSINESS_HOURS}
    return {TimeWindow.AFTER_HOURS}


@dataclass(frozen=True)
class RouteQuery:
    kind: str
    ticket_type: str
    priority: str
    group_id: int | None
    moment: datetime


@dataclass
class Routes:
    channels: list[str] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)
    rules: list[RoutingRule] = field(default_factory=list)
    fallback: str = ""  # "group" or "default" when no rule matched
    windows: set[str] = field(default_factory=set)


def mismatch(rule: RoutingRule, query: RouteQuery, windows: set[str], group_ids: set[int]) -> str:
    """Why ``rule`` does not match (empty string when it does); shown by the dry run."""
    if rule.event_kinds and query.kind not in rule.event_kinds:
        return str(_("event"))
    if rule.ticket_types and query.ticket_type not in rule.ticket_types:
        return str(_("ticket type"))
    if rule.priorities and query.priority not in rule.priorities:
        return str(_("priority"))
    if group_ids and query.group_id not in group_ids:
        return str(_("agent group"))
    if rule.time_window != TimeWindow.ANY and rule.time_window not in windows:
        return str(_("time window"))
    return ""


def _add(items: list[str], new: list[str]) -> None:
    for item in new:
        if item and item not in items:
            items.append(item)


def resolve(query: RouteQuery, *, group_channel: str = "", trace: list | None = None) -> Routes:
    """Channels and mentions for ``query``; ``trace`` (if given) collects (rule, reason) pairs."""
    windows = time_windows(query.moment)
    routes = Routes(windows=windows)
    for rule in RoutingRule.objects.filter(is_active=True).prefetch_related("groups"):
        reason = mismatch(rule, query, windows, {g.pk for g in rule.groups.all()})
        if trace is not None:
            trace.append((rule, reason))
        if reason:
            continue
        routes.rules.append(rule)
        _add(routes.channels, rule.channel_list)
        if rule.to_group_channel:
            _add(routes.channels, [group_channel])
        _add(routes.mentions, rule.mention_list)
        if not rule.continue_matching:
            break
    if not routes.rules:
        if group_channel:
            routes.channels, routes.fallback = [group_channel], "group"
        elif settings.SLACK_DEFAULT_CHANNEL:
            routes.channels, routes.fallback = [settings.SLACK_DEFAULT_CHANNEL], "default"
    return routes


def routes_for_ticket(kind: str, ticket, moment: datetime | None = None) -> Routes:
    group = ticket.group
    query = RouteQuery(kind, ticket.ticket_type, ticket.priority, group.pk if group else None, moment or timezone.now())
    return resolve(query, group_channel=group.slack_channel_id if group else "")


def mention_markup(mention: str) -> str:
    """``S…`` → ``<!subteam^S…>``, ``U…``/``W…`` → ``<@U…>``."""
    return f"<!subteam^{mention}>" if mention.startswith("S") else f"<@{mention}>"
