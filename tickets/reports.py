"""Ticket report figures: the daily digest, a group's workload, the daily/weekly report.

The ONE home of these aggregates: the Slack digest and the ``/fs team`` / ``/fs report``
commands only render what these selectors return, and a web Reports page can reuse them.
Everything returned is a plain frozen dataclass (numbers, labels, periods), computed in
SQL (COUNT … FILTER / AVG / GROUP BY), never row by row in Python.

Periods are cut at KST midnight (DESIGN §4): a day, a Monday–Sunday week, or "since the
previous working day" of the company calendar, so the digest of the day after a weekend
or holiday covers those days off too.

Who may see what is decided here, not by the caller: figures over tickets are counted
from ``tickets.selectors.visible_tickets`` of the acting user, and a report of a group is
refused with a translatable PermissionDenied (Slack shows it as an ephemeral sentence).
"""

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.utils.translation import gettext as _

from erp.core.dates import range_label
from erp.people.models import Department
from erp.people.selectors import employee_of
from erp.workcalendar.calendar import KST, get_calendar

from .models import ACTIVE_STATUSES, Priority, SatisfactionRating, SLAState, Status, Ticket
from .selectors import is_ticket_admin, visible_tickets

# A ticket missed its first-response or its resolution target (the flags stay set once
# breached, so a resolved ticket still counts as a breach in the period it belongs to).
SLA_BREACHED = Q(first_response_breached=True) | Q(resolution_breached=True)
# How many groups a report lists in "opened by group".
REPORT_GROUPS = 10


# --- periods -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Period:
    """[start, end) as aware datetimes at KST midnights."""

    start: datetime
    end: datetime

    @property
    def first_day(self) -> date:
        return self.start.astimezone(KST).date()

    @property
    def last_day(self) -> date:
        return (self.end.astimezone(KST) - timedelta(days=1)).date()

    @property
    def label(self) -> str:
        """``9월 18일 (금) ~ 9월 20일 (일)``, one day for a one-day period (erp.core.dates)."""
        return range_label(self.first_day, self.last_day)

    def q(self, field: str) -> Q:
        """``field`` falls inside the period."""
        return Q(**{f"{field}__gte": self.start, f"{field}__lt": self.end})


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, KST)


def day_period(day: date) -> Period:
    """The KST calendar day ``day``."""
    return Period(_midnight(day), _midnight(day + timedelta(days=1)))


def week_period(day: date) -> Period:
    """The Monday–Sunday week (KST) that contains ``day``."""
    monday = day - timedelta(days=day.weekday())
    return Period(_midnight(monday), _midnight(monday + timedelta(days=7)))


def since_previous_working_day(day: date) -> Period:
    """From the start of the working day before ``day`` to the start of ``day``.

    A Monday's period covers Friday to Sunday, and the day after a holiday covers the
    holiday: nothing falls between two daily digests.
    """
    return Period(_midnight(get_calendar().previous_working_day(day)), _midnight(day))


# --- the satisfaction aggregate (digest and report) ---------------------------------------
def _ratings_given(period: Period) -> QuerySet:
    """Ratings given in the period: a rating counts on the day it was last given or changed."""
    return SatisfactionRating.objects.filter(period.q("updated_at"))


def _satisfaction() -> dict:
    return {"ratings": Count("pk"), "avg_satisfaction": Avg("score")}


def _mean(value) -> float | None:
    return None if value is None else float(value)


# --- the daily digest ---------------------------------------------------------------------
@dataclass(frozen=True)
class DigestFigures:
    new: int
    resolved: int
    avg_first_response: timedelta | None
    avg_resolution: timedelta | None
    sla_measured: int  # resolved tickets that had an SLA
    sla_met: int
    open_breaches: int
    ratings: int = 0  # satisfaction ratings given in the period
    avg_satisfaction: float | None = None  # their mean score (1–5)

    @property
    def sla_compliance(self) -> float | None:
        return None if not self.sla_measured else 100 * self.sla_met / self.sla_measured

    @property
    def is_empty(self) -> bool:
        return not (self.new or self.resolved or self.open_breaches or self.ratings)


EMPTY_DIGEST = DigestFigures(0, 0, None, None, 0, 0, 0)


@dataclass(frozen=True)
class GroupDigest:
    group: Department
    period: Period
    figures: DigestFigures


def group_figures(period: Period) -> dict[int, DigestFigures]:
    """Per group id: the digest figures of ``period``.

    Two GROUP BY queries: one over tickets, one over the ratings given in the period (kept
    apart so the join never multiplies the ticket counts). A rating counts with the
    ticket's current group. Open breaches count whenever the ticket was opened.
    """
    created, resolved, responded = period.q("created_at"), period.q("resolved_at"), period.q("first_responded_at")
    open_breach = Q(status__in=ACTIVE_STATUSES) & SLA_BREACHED
    has_sla = Q(resolution_due__isnull=False)
    rows = (
        Ticket.objects.filter(group__isnull=False)
        .filter(created | resolved | responded | open_breach)
        .values("group")
        .annotate(
            new=Count("pk", filter=created),
            resolved=Count("pk", filter=resolved),
            avg_first_response=Avg(
                ExpressionWrapper(F("first_responded_at") - F("created_at"), output_field=DurationField()),
                filter=responded,
            ),
            avg_resolution=Avg(
                ExpressionWrapper(F("resolved_at") - F("created_at"), output_field=DurationField()), filter=resolved
            ),
            sla_measured=Count("pk", filter=resolved & has_sla),
            sla_met=Count("pk", filter=resolved & has_sla & ~SLA_BREACHED),
            open_breaches=Count("pk", filter=open_breach),
        )
        .order_by("group")
    )
    figures = {row.pop("group"): DigestFigures(**row) for row in rows}
    ratings = (
        _ratings_given(period)
        .filter(ticket__group__isnull=False)
        .values("ticket__group")
        .annotate(**_satisfaction())
        .order_by("ticket__group")
    )
    for row in ratings:
        base = figures.get(row["ticket__group"], EMPTY_DIGEST)
        figures[row["ticket__group"]] = replace(
            base, ratings=row["ratings"], avg_satisfaction=_mean(row["avg_satisfaction"])
        )
    return figures


def daily_digest_figures(*, day: date, group: Department | None = None) -> list[GroupDigest]:
    """The digest of ``day``: per active group with something to show, ordered by name.

    Covers the period since the previous working day (:func:`since_previous_working_day`).
    A company-wide figure set, not a per-user view: the digest goes to each group's own
    channel. ``group`` narrows it to one group.
    """
    period = since_previous_working_day(day)
    figures = group_figures(period)
    groups = Department.objects.filter(pk__in=figures.keys(), is_active=True).order_by("name")
    if group is not None:
        groups = groups.filter(pk=group.pk)
    return [GroupDigest(g, period, figures[g.pk]) for g in groups if not figures[g.pk].is_empty]


# --- a group's open workload --------------------------------------------------------------
@dataclass(frozen=True)
class Workload:
    """Aggregates of one group's open tickets."""

    group_name: str
    total: int
    by_status: list[tuple[str, int]]
    by_priority: list[tuple[str, int]]
    breached: int
    at_risk: int
    by_assignee: list[tuple[str, int]]


def _labelled(rows, key: str, labels: dict) -> list[tuple[str, int]]:
    return [(str(labels.get(row[key], row[key] or "—")), row["n"]) for row in rows]


def team_workload(*, user, group: Department, assignees: int = 15) -> Workload:
    """The open tickets of ``group`` that ``user`` may see: by status, priority, SLA, assignee.

    Open to everyone: the counts only cover tickets the user can already see (a requester
    asking about a group sees their own requests counted, nothing more), so no extra gate
    is needed. ``assignees`` caps the per-assignee rows (busiest first).
    """
    open_tickets = visible_tickets(user).filter(group=group, status__in=ACTIVE_STATUSES)
    totals = open_tickets.aggregate(
        total=Count("id"),
        breached=Count("id", filter=Q(sla_state=SLAState.BREACHED)),
        at_risk=Count("id", filter=Q(sla_state=SLAState.AT_RISK)),
    )
    by_status = open_tickets.values("status").annotate(n=Count("id")).order_by("status")
    by_priority = open_tickets.values("priority").annotate(n=Count("id")).order_by("priority")
    per_assignee = (
        open_tickets.values("assignee__employee__display_name", "assignee__username")
        .annotate(n=Count("id"))
        .order_by("-n", "assignee__employee__display_name")[:assignees]
    )
    return Workload(
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


# --- the daily / weekly report ------------------------------------------------------------
def can_view_reports(user, group: Department | None = None) -> bool:
    """May ``user`` see the ticket report of ``group`` (None: their own report scope)?

    Ticket admins see every group's (and the all-groups report); agents and managers only
    their own group's; everybody else none.
    """
    if is_ticket_admin(user):
        return True
    employee = employee_of(user)
    if employee is None or not employee.is_agent or not employee.department_id:
        return False
    return group is None or group.pk == employee.department_id


def report_scope(user, group: Department | None = None) -> Department | None:
    """The group a report for ``user`` covers (None = all groups); PermissionDenied if none.

    Without ``group``: all groups for a ticket admin, the user's own group otherwise.
    """
    if can_view_reports(user, group):
        if group is None and not is_ticket_admin(user):
            return employee_of(user).department
        return group
    employee = employee_of(user)
    if employee is None or not (employee.is_agent or is_ticket_admin(user)):
        raise PermissionDenied(_("Only agents and managers can see ticket reports."))
    if not employee.department_id:
        raise PermissionDenied(_("You belong to no group, so there is nothing to report."))
    raise PermissionDenied(_("You can only see the ticket reports of your own group."))


@dataclass(frozen=True)
class TicketReport:
    """A period's figures over the tickets of a scope (one group, or all groups)."""

    scope: str  # the group's name, or "All groups"
    period: Period
    created: int
    resolved: int
    closed: int
    open_now: int
    breached: int  # opened in the period and breached an SLA target
    by_priority: list[tuple[str, int]]  # opened in the period
    by_group: list[tuple[str, int]]  # opened in the period, the REPORT_GROUPS busiest groups
    ratings: int = 0  # satisfaction ratings given in the period
    avg_satisfaction: float | None = None


def ticket_report(*, user, period: Period, group: Department | None = None) -> TicketReport:
    """The report of ``period`` for ``user`` (see :func:`report_scope` for which tickets).

    Raises PermissionDenied (translatable) for people who may not see it. Counted over the
    tickets the user may see, in four queries.
    """
    scope_group = report_scope(user, group)
    scope = visible_tickets(user)
    if scope_group is not None:
        scope = scope.filter(group=scope_group)
    opened = period.q("created_at")
    figures = scope.aggregate(
        created=Count("id", filter=opened),
        resolved=Count("id", filter=period.q("resolved_at")),
        closed=Count("id", filter=period.q("closed_at")),
        open_now=Count("id", filter=Q(status__in=ACTIVE_STATUSES)),
        breached=Count("id", filter=opened & SLA_BREACHED),
    )
    satisfaction = _ratings_given(period).filter(ticket__in=scope.values("pk")).aggregate(**_satisfaction())
    in_period = scope.filter(opened)
    by_priority = in_period.values("priority").annotate(n=Count("id")).order_by("priority")
    by_group = in_period.values("group__name").annotate(n=Count("id")).order_by("-n", "group__name")[:REPORT_GROUPS]
    return TicketReport(
        scope=scope_group.name if scope_group is not None else str(_("All groups")),
        period=period,
        by_priority=_labelled(by_priority, "priority", dict(Priority.choices)),
        by_group=[(row["group__name"] or str(_("No group")), row["n"]) for row in by_group],
        **figures,
        ratings=satisfaction["ratings"],
        avg_satisfaction=_mean(satisfaction["avg_satisfaction"]),
    )
