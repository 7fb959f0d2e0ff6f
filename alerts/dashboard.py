"""The alert report and home widget, read from the ``alerts`` and ``alert_items`` rollups
(alerts/rollup.py).

Who sees what follows alerts.selectors: agents (and admins) every source; anyone else the
sources their own team owns (``scope`` = the owner team). Everyone else has no alert report.
"""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from erp.history.reports import (
    Chart,
    Period,
    Report,
    ReportData,
    ReportFilter,
    Series,
    Table,
    by_bucket,
    cells,
    ratio,
    totals,
)
from erp.history.widgets import ROLES, Widget, WidgetData, trend_period, weekly_chart
from erp.people.roles import is_agent
from erp.people.selectors import employee_of

from .models import Source
from .selectors import visible_sources

GROUPS, ITEMS = "alerts", "alert_items"
NOISIEST_SHOWN = 6
OPENED = pgettext_lazy("alert report", "Opened")  # a group started firing (not "접수", a ticket's word)


def report_scope(user) -> Q | None:
    if user is None or not user.is_authenticated:
        return None
    if is_agent(user):
        return Q()
    employee = employee_of(user)
    team = employee.department_id if employee else None
    if team and Source.objects.filter(owner_team_id=team).exists():
        return Q(scope=team)
    return None


def can_see_alert_reports(user) -> bool:
    return report_scope(user) is not None


def _hours(total: float, n: int):
    return ratio(total, n, 1 / 60)


def _shown(value, unit: str) -> str:
    return "—" if value is None else f"{value:g}{unit}"


def still_firing(allowed: Q) -> dict[int, int]:
    """{source id: groups still firing}, whenever they started (a sum of small rows)."""
    return {
        source: n for (_m, source), (_t, n) in totals(cells(GROUPS, ["firing"], allowed=allowed), "person").items() if n
    }


def alert_report(user, period: Period, filters: dict) -> ReportData:
    allowed = report_scope(user)
    if allowed is None:
        return ReportData()
    if filters.get("source"):
        allowed &= Q(person=int(filters["source"]))
    groups = cells(GROUPS, ["opened", "resolved"], allowed=allowed, first=period.first, last=period.last)
    items = cells(ITEMS, ["items", "security_release"], allowed=allowed, first=period.first, last=period.last)
    bucketed = by_bucket(groups, period)
    starts = period.buckets()
    labels = [period.label(start) for start in starts]

    def each(metric, value=lambda t, n: n):
        return [value(*bucketed.get((metric, start), (0, 0))) for start in starts]

    whole, item_totals = totals(groups), totals(items)
    get = lambda metric: whole.get((metric,), (0, 0))  # noqa: E731
    firing = still_firing(allowed)
    data = ReportData(
        figures=[
            (_("Alert groups opened"), str(get("opened")[1])),
            (_("Resolved"), str(get("resolved")[1])),
            (_("Time to resolve"), _shown(_hours(*get("resolved")), "h")),
            (_("Still firing"), str(sum(firing.values()))),
            (_("Items received"), str(item_totals.get(("items",), (0, 0))[1])),
            (_("Security releases"), str(item_totals.get(("security_release",), (0, 0))[1])),
        ]
    )
    by_source_groups, by_source_items = totals(groups, "person"), totals(items, "person")
    sources = sorted(
        {s for (_m, s) in by_source_groups} | {s for (_m, s) in by_source_items} | set(firing),
        key=lambda s: -by_source_items.get(("items", s), (0, 0))[1],
    )
    names = dict(Source.objects.filter(pk__in=sources).values_list("pk", "name"))
    noisiest = sources[:NOISIEST_SHOWN]
    data.charts = [
        Chart(_("Groups opened and resolved"), labels, [Series(OPENED, each("opened")),
                                                         Series(_("Resolved"), each("resolved"))]),
        Chart(_("Time to resolve (hours)"), labels, [Series(_("Time to resolve"), each("resolved", _hours))],
              kind="line", unit="h"),
        Chart(_("Noisiest sources"), [names.get(s, "—")[:12] for s in noisiest],
              [Series(_("Items"), [by_source_items.get(("items", s), (0, 0))[1] for s in noisiest])]),
    ]  # fmt: skip
    data.tables = [
        Table(
            "volume",
            _("Volume"),
            [_("Period"), OPENED, _("Resolved"), _("Time to resolve (h)")],
            [list(row) for row in zip(labels, each("opened"), each("resolved"), each("resolved", _hours), strict=True)],
        ),
        Table(
            "sources",
            _("By source"),
            [
                pgettext_lazy("alert report", "Source"),
                _("Items"),
                OPENED,
                _("Resolved"),
                _("Time to resolve (h)"),
                _("Still firing"),
            ],
            [
                [
                    names.get(s, "—"),
                    by_source_items.get(("items", s), (0, 0))[1],
                    by_source_groups.get(("opened", s), (0, 0))[1],
                    by_source_groups.get(("resolved", s), (0, 0))[1],
                    _hours(*by_source_groups.get(("resolved", s), (0, 0))),
                    firing.get(s, 0),
                ]
                for s in sources
            ],
        ),
    ]
    return data


def _source_choices(user):
    return [(str(pk), name) for pk, name in visible_sources(user).order_by("name").values_list("pk", "name")]


def firing_alerts(user) -> WidgetData | None:
    """Groups still firing and the groups opened per week, of the sources one sees (rollup cells)."""
    allowed = report_scope(user)
    if allowed is None:
        return None
    period = trend_period()
    weekly = by_bucket(cells(GROUPS, ["opened"], allowed=allowed, first=period.first, last=period.last), period)
    return WidgetData(
        figures=[(_("Still firing"), sum(still_firing(allowed).values()))],
        chart=weekly_chart(_("Alert groups per week"), period, weekly, [(OPENED, "opened")]),
        link=(_("Alert report"), reverse("reports:report", args=[GROUPS])),
    )


ALERT_REPORT = Report(
    "alerts",
    _("Alerts and feeds"),
    GROUPS,
    alert_report,
    can_see_alert_reports,
    order=50,
    filters=(ReportFilter("source", pgettext_lazy("alert report", "Source"), _source_choices),),
)
ALERT_WIDGET = Widget("alerts.firing", _("Alerts"), firing_alerts, roles=ROLES, order=42)
