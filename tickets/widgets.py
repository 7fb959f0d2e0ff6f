"""Ticket widgets on the portal home (erp.history.widgets): my queue for agents; the team's SLA
trend and backlog for managers and admins (from the rollup, tickets/dashboard.py)."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from erp.history.reports import Chart, Period, Series, by_bucket, cells
from erp.history.widgets import Widget, WidgetData, trend_period

from .dashboard import ROLLUP, backlog_age, backlog_series, report_scope
from .models import ACTIVE_STATUSES, SLAState, Ticket


def my_queue(user) -> WidgetData | None:
    """My open tickets and how many of them are at risk or past their SLA (one indexed query)."""
    mine = Ticket.objects.filter(assignee=user, status__in=ACTIVE_STATUSES).aggregate(
        open=Count("pk"), risky=Count("pk", filter=Q(sla_state__in=[SLAState.AT_RISK, SLAState.BREACHED]))
    )
    return WidgetData(
        figures=[(_("Open"), mine["open"]), (_("SLA at risk"), mine["risky"])],
        link=(_("My tickets"), f"{reverse('tickets:list')}?{urlencode({'assignee': user.pk})}"),
    )


def team_sla(user) -> WidgetData | None:
    allowed = report_scope(user)
    if allowed is None:
        return None
    period = trend_period()
    rows = cells(
        ROLLUP, ["sla_first_response", "sla_resolution"], allowed=allowed, first=period.first, last=period.last
    )
    bucketed = by_bucket(rows, period)

    def percent(metric):
        values = []
        for start in period.buckets():
            total, n = bucketed.get((metric, start), (0, 0))
            values.append(round(total / n * 100, 1) if n else None)
        return values

    chart = Chart(
        _("SLA compliance"),
        [period.label(start) for start in period.buckets()],
        [
            Series(_("First response"), percent("sla_first_response")),
            Series(_("Resolution"), percent("sla_resolution")),
        ],
        kind="line",
        unit="%",
    )
    return WidgetData(chart=chart, link=(_("Ticket report"), reverse("reports:report", args=["tickets"])))


def backlog(user) -> WidgetData | None:
    allowed = report_scope(user)
    if allowed is None:
        return None
    period = trend_period()
    age = backlog_age(allowed, period.last)
    return WidgetData(
        figures=[(_("Backlog"), (backlog_series(allowed, Period(period.last, period.last)) or [0])[-1])],
        chart=Chart(_("Backlog age"), [label for label, _n in age], [Series(_("Open"), [n for _l, n in age])]),
    )


WIDGETS = (
    Widget("tickets.my_queue", _("My queue"), my_queue, roles=("agent", "manager"), order=10),
    Widget("tickets.team_sla", _("Team SLA trend"), team_sla, roles=("manager", "admin"), order=20),
    Widget("tickets.backlog", _("Ticket backlog"), backlog, roles=("manager", "admin"), order=21),
)
