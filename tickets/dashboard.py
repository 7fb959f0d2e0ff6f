"""The ticket report and dashboard widgets, read from the ``tickets`` rollup (tickets/rollup.py).

Who sees what: company/ticket admins every group; an agent or manager their own group
(``scope`` = the group). Requesters have no ticket reports. Counts include sensitive tickets
of the group (a number reveals no text); CSAT comments are read from the ratings of the
tickets the person may see (tickets.selectors.visible_tickets).
"""

from dataclasses import replace
from datetime import datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from erp.core.pii import mask_pii
from erp.history.reports import Chart, Period, Report, ReportData, Series, Table, by_bucket, cells, ratio, totals
from erp.people.models import Department, Employee
from erp.people.selectors import employee_of
from erp.workcalendar.calendar import KST

from .models import Category, SatisfactionRating
from .selectors import is_ticket_admin, visible_tickets

ROLLUP = "tickets"
AGE_BUCKETS = ((1, _("Up to 1 day")), (7, _("2–7 days")), (30, _("8–30 days")), (None, _("Over 30 days")))
HEADLINE_METRICS = ["created", "resolved", "first_response", "sla_first_response", "sla_resolution", "csat"]
REPEAT_ROWS = 10
COMMENT_ROWS = 10


def report_scope(user) -> Q | None:
    """The cells ``user`` may read (Q() for all), or None: no ticket reports for them."""
    if is_ticket_admin(user):
        return Q()
    employee = employee_of(user)
    if employee and employee.is_agent and employee.department_id:
        return Q(scope=employee.department_id)
    return None


def can_see_ticket_reports(user) -> bool:
    return report_scope(user) is not None


def _hours(total: float, n: int):
    return ratio(total, n, 1 / 60)


def _percent(total: float, n: int):
    return ratio(total, n, 100)


def backlog_series(allowed: Q, period: Period) -> list[int]:
    """Open tickets at the end of each bucket: filed so far minus done so far."""
    before = totals(cells(ROLLUP, ["created", "resolved"], allowed=allowed, last=period.first - timedelta(days=1)))
    level = before.get(("created",), (0, 0))[1] - before.get(("resolved",), (0, 0))[1]
    moves = by_bucket(
        cells(ROLLUP, ["created", "resolved"], allowed=allowed, first=period.first, last=period.last), period
    )
    series = []
    for start in period.buckets():
        level += moves.get(("created", start), (0, 0))[1] - moves.get(("resolved", start), (0, 0))[1]
        series.append(level)
    return series


def backlog_age(allowed: Q, today) -> list[tuple[str, int]]:
    by_day = totals(cells(ROLLUP, ["open"], allowed=allowed), "day")
    counts = [0] * len(AGE_BUCKETS)
    for (_metric, day), (_total, n) in by_day.items():
        age = (today - day).days
        index = next(i for i, (limit, _label) in enumerate(AGE_BUCKETS) if limit is None or age <= limit)
        counts[index] += n
    return [(str(label), count) for (_limit, label), count in zip(AGE_BUCKETS, counts, strict=True)]


def _names(user_ids) -> dict[int, str]:
    return dict(Employee.objects.filter(user_id__in=user_ids).values_list("user_id", "display_name"))


def ticket_report(user, period: Period) -> ReportData:
    allowed = report_scope(user)
    if allowed is None:
        return ReportData()
    rows = cells(ROLLUP, HEADLINE_METRICS, allowed=allowed, first=period.first, last=period.last)
    bucketed = by_bucket(rows, period)
    starts = period.buckets()
    labels = [period.label(start) for start in starts]

    def each(metric, value=lambda t, n: n):
        return [value(*bucketed.get((metric, start), (0, 0))) for start in starts]

    backlog = backlog_series(allowed, period)
    data = ReportData(figures=headline_figures(allowed, period, rows=rows, backlog=backlog))
    data.charts = [
        Chart(
            _("New and resolved"), labels, [Series(_("New"), each("created")), Series(_("Resolved"), each("resolved"))]
        ),
        Chart(_("Backlog"), labels, [Series(_("Backlog"), backlog)], kind="line"),
        Chart(
            _("SLA compliance"),
            labels,
            [
                Series(_("First response"), each("sla_first_response", _percent)),
                Series(_("Resolution"), each("sla_resolution", _percent)),
            ],
            kind="line",
            unit="%",
        ),
        Chart(
            _("MTTA and MTTR (hours)"),
            labels,
            [Series(_("MTTA"), each("first_response", _hours)), Series(_("MTTR"), each("resolved", _hours))],
            kind="line",
            unit="h",
        ),
    ]
    age = backlog_age(allowed, timezone.localtime(timezone.now(), KST).date())
    data.charts.append(Chart(_("Backlog age"), [label for label, _n in age], [Series(_("Open"), [n for _l, n in age])]))
    data.tables = [
        Table(
            "volume",
            _("Volume"),
            [_("Period"), _("New"), _("Resolved"), _("Backlog"), _("First response SLA"), _("Resolution SLA")],
            [
                [label, new, done, left, fr, res]
                for label, new, done, left, fr, res in zip(
                    labels,
                    each("created"),
                    each("resolved"),
                    backlog,
                    each("sla_first_response", _percent),
                    each("sla_resolution", _percent),
                    strict=True,
                )
            ],
        ),
        _by_group_and_agent(rows),
        _csat_table(rows),
        _repeats(allowed, period),
        _comments(user, period),
    ]
    return data


def headline_figures(allowed: Q, period: Period, *, rows=None, backlog=None) -> list[tuple]:
    """New, resolved, backlog, SLA, MTTA, MTTR and CSAT of the period (labels translatable)."""
    if rows is None:
        rows = cells(ROLLUP, HEADLINE_METRICS, allowed=allowed, first=period.first, last=period.last)
    backlog = backlog if backlog is not None else backlog_series(allowed, replace(period, first=period.last))
    whole = totals(rows)
    get = lambda metric: whole.get((metric,), (0, 0))  # noqa: E731
    return [
        (_("New"), str(get("created")[1])),
        (_("Resolved"), str(get("resolved")[1])),
        (_("Backlog"), str(backlog[-1] if backlog else 0)),
        (_("First response SLA"), _shown(_percent(*get("sla_first_response")), "%")),
        (_("Resolution SLA"), _shown(_percent(*get("sla_resolution")), "%")),
        (_("MTTA"), _shown(_hours(*get("first_response")), "h")),
        (_("MTTR"), _shown(_hours(*get("resolved")), "h")),
        (_("CSAT"), _shown(ratio(*get("csat")), " / 5")),
    ]


def group_summary(department_id: int, period: Period) -> list[tuple]:
    """The headline figures of one group (its scheduled Slack report); [] when it had no tickets."""
    figures = headline_figures(Q(scope=department_id), period)
    return figures if any(value not in ("0", "—") for _label, value in figures) else []


def _shown(value, unit: str) -> str:
    return "—" if value is None else f"{value:g}{unit}"


def _by_group_and_agent(rows) -> Table:
    figures = totals(rows, "scope", "person")
    keys = sorted({(scope, person) for (_m, scope, person) in figures})
    groups = dict(Department.objects.filter(pk__in={s for s, _p in keys}).values_list("pk", "name"))
    agents = _names({p for _s, p in keys})
    table_rows = []
    for scope, person in keys:
        get = lambda metric: figures.get((metric, scope, person), (0, 0))  # noqa: E731,B023
        table_rows.append(
            [
                groups.get(scope, "—"),
                agents.get(person, "—") if person else str(_("Unassigned")),
                get("created")[1],
                get("resolved")[1],
                _hours(*get("first_response")),
                _hours(*get("resolved")),
                _percent(*get("sla_resolution")),
            ]
        )
    return Table(
        "agents",
        _("By group and agent"),
        [_("Group"), _("Agent"), _("New"), _("Resolved"), _("MTTA (h)"), _("MTTR (h)"), _("Resolution SLA")],
        table_rows,
    )


def _csat_table(rows) -> Table:
    scores = totals(rows.filter(metric="csat"), "extra")
    return Table(
        "csat",
        _("CSAT distribution"),
        [_("Score"), _("Ratings")],
        [[score, scores.get(("csat", score), (0, 0))[1]] for score in range(5, 0, -1)],
    )


def _repeats(allowed: Q, period: Period) -> Table:
    requests = totals(
        cells(ROLLUP, ["requests"], allowed=allowed, first=period.first, last=period.last), "person", "extra"
    )
    repeated = sorted(
        ((n, person, category) for (_m, person, category), (_t, n) in requests.items() if n >= 2), reverse=True
    )[:REPEAT_ROWS]
    categories = dict(Category.objects.filter(pk__in={c for _n, _p, c in repeated}).values_list("pk", "name"))
    people = _names({p for _n, p, _c in repeated})
    return Table(
        "repeats",
        _("Repeat issues"),
        [_("Requester"), _("Category"), _("Tickets")],
        [[people.get(p, "—"), categories.get(c, "—"), n] for n, p, c in repeated],
    )


def _comments(user, period: Period) -> Table:
    """The newest CSAT comments (a bounded read of the ratings, along their updated_at index)."""
    start = datetime.combine(period.first, time.min, KST)
    end = datetime.combine(period.last + timedelta(days=1), time.min, KST)
    ratings = (
        SatisfactionRating.objects.filter(ticket__in=visible_tickets(user), updated_at__gte=start, updated_at__lt=end)
        .exclude(comment="")
        .select_related("ticket")
        .order_by("-updated_at")[:COMMENT_ROWS]
    )
    return Table(
        "comments",
        _("CSAT comments"),
        [_("Ticket"), _("Score"), _("Comment")],
        [[r.ticket.number, r.score, mask_pii(r.comment)[:300]] for r in ratings],
    )


TICKET_REPORT = Report(
    "tickets", _("IT tickets"), "tickets", ticket_report, can_see_ticket_reports, order=10, summary=group_summary
)
