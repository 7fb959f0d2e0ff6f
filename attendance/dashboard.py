"""The attendance report, read from the ``attendance`` rollup (attendance/rollup.py).

Who sees what: the people ``visible_employees`` gives (admins everyone, a manager their team
and department, anyone else themself), so a manager sees their team's hours and no one else's.
"""

from collections import Counter
from dataclasses import replace
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from erp.history.reports import Chart, Period, Report, ReportData, Series, Table, by_bucket, cells, totals
from erp.history.widgets import Widget, WidgetData
from erp.people.models import Department
from erp.people.selectors import employee_of

from .selectors import is_attendance_admin, visible_employees

ROLLUP = "attendance"
WEEK_CAP_MINUTES = 52 * 60
# Hours left under the 52-hour cap in a week: (upper bound in hours, label); over the cap first.
HEADROOM_BUCKETS = (
    (0, _("Over 52 h")),
    (4, _("Under 4 h left")),
    (8, _("4–8 h left")),
    (12, _("8–12 h left")),
    (None, _("12 h or more left")),
)
TEAMS_IN_CHART = 6


def report_scope(user) -> Q | None:
    """The cells ``user`` may read (the people visible_employees gives), or None: no report."""
    if employee_of(user) is None and not is_attendance_admin(user):
        return None
    return Q(person__in=visible_employees(user).values("pk"))


def can_see_attendance_reports(user) -> bool:
    return report_scope(user) is not None


def _h(minutes: float) -> float:
    return round(minutes / 60, 1)


def headroom_distribution(allowed: Q, period: Period) -> list[tuple[str, int]]:
    weekly = by_bucket(
        cells(ROLLUP, ["worked"], allowed=allowed, first=period.first, last=period.last),
        replace(period, bucket="week"),
        "person",
    )
    counts = Counter()
    for (_metric, _week, _person), (minutes, _n) in weekly.items():
        left = (WEEK_CAP_MINUTES - minutes) / 60
        index = next(i for i, (limit, _l) in enumerate(HEADROOM_BUCKETS) if limit is None or left < limit)
        counts[index] += 1
    return [(str(label), counts[i]) for i, (_limit, label) in enumerate(HEADROOM_BUCKETS)]


def attendance_report(user, period: Period) -> ReportData:
    allowed = report_scope(user)
    if allowed is None:
        return ReportData()
    rows = cells(
        ROLLUP, ["worked", "overtime", "missing_punch", "leave"], allowed=allowed, first=period.first, last=period.last
    )
    starts = period.buckets()
    labels = [period.label(start) for start in starts]
    by_team = by_bucket(rows, period, "scope")
    teams_total = totals(rows, "scope")
    names = dict(Department.objects.filter(pk__in={s for (_m, s) in teams_total}).values_list("pk", "name"))
    busiest = sorted((s for (m, s) in teams_total if m == "worked"), key=lambda s: -teams_total[("worked", s)][0])[
        :TEAMS_IN_CHART
    ]
    overall = by_bucket(rows, period)

    def each(metric, convert=lambda t, n: n):
        return [convert(*overall.get((metric, start), (0, 0))) for start in starts]

    data = ReportData()
    whole = totals(rows)
    get = lambda metric: whole.get((metric,), (0, 0))  # noqa: E731
    data.figures = [
        (_("Hours worked"), f"{_h(get('worked')[0]):g}"),
        (_("Overtime hours"), f"{_h(get('overtime')[0]):g}"),
        (_("Missing punches"), str(get("missing_punch")[1])),
        (_("Leave days"), str(get("leave")[1])),
    ]
    data.charts = [
        Chart(
            _("Hours by team"),
            labels,
            [
                Series(names.get(s, "—"), [_h(by_team.get(("worked", start, s), (0, 0))[0]) for start in starts])
                for s in busiest
            ],
            unit="h",
        ),
        Chart(_("Overtime hours"), labels, [Series(_("Overtime"), each("overtime", lambda t, n: _h(t)))], unit="h"),
        Chart(_("Missing punches"), labels, [Series(_("Missing punches"), each("missing_punch"))]),
    ]
    headroom = headroom_distribution(allowed, period)
    data.charts.append(
        Chart(
            _("52-hour headroom (people × weeks)"),
            [label for label, _n in headroom],
            [Series(_("Weeks"), [n for _l, n in headroom])],
        )
    )
    data.tables = [
        Table(
            "teams",
            _("By team"),
            [_("Team"), _("Hours worked"), _("Overtime hours"), _("Missing punches"), _("Leave days")],
            [
                [
                    names.get(s, "—"),
                    _h(teams_total.get(("worked", s), (0, 0))[0]),
                    _h(teams_total.get(("overtime", s), (0, 0))[0]),
                    teams_total.get(("missing_punch", s), (0, 0))[1],
                    teams_total.get(("leave", s), (0, 0))[1],
                ]
                for s in sorted({s for (_m, s) in teams_total}, key=lambda s: names.get(s, ""))
            ],
        ),
        Table("headroom", _("52-hour headroom"), [_("Hours left"), _("People × weeks")], [list(r) for r in headroom]),
    ]
    return data


def team_hours(user):
    """Managers and admins: the team's hours in each of the last four weeks (rollup cells)."""
    me = employee_of(user)
    if not is_attendance_admin(user) and not (me and me.is_manager):
        return None
    today = timezone.localdate()
    period = Period(today - timedelta(weeks=3), today, "week")
    weekly = by_bucket(
        cells(ROLLUP, ["worked"], allowed=report_scope(user), first=period.first, last=period.last), period
    )
    hours = [_h(weekly.get(("worked", start), (0, 0))[0]) for start in period.buckets()]
    labels = [period.label(start) for start in period.buckets()]
    return WidgetData(chart=Chart(_("Team hours"), labels, [Series(_("Hours worked"), hours)], unit="h"))


ATTENDANCE_REPORT = Report(
    "attendance", _("Attendance"), "attendance", attendance_report, can_see_attendance_reports, order=20
)
TEAM_HOURS_WIDGET = Widget("attendance.team_hours", _("Team hours"), team_hours, roles=("manager", "admin"), order=30)
