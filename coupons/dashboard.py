"""The coupon report and home widget, read from the ``coupons`` rollup (coupons/rollup.py).

Who sees what: the people who see the send log (module admins and holders of
``coupons.view_sendlog``) every client; a team's manager the clients of their team (the team
whose channel gets the client's daily summary). Everyone else has no coupon report (403).
Figures only: no phone number, tr_id or order number.
"""

from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

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
from erp.people.selectors import employee_of

from .models import Campaign, Client
from .selectors import can_view_coupons

ROLLUP = "coupons"
METRICS = ["sent", "issued", "used", "expired"]
CAMPAIGN_ROWS = 50


def report_scope(user) -> Q | None:
    if can_view_coupons(user):
        return Q()
    employee = employee_of(user)
    if employee and employee.is_manager and employee.department_id:
        clients = list(Client.objects.filter(department_id=employee.department_id).values_list("pk", flat=True))
        if clients:
            return Q(scope__in=clients)
    return None


def can_see_coupon_reports(user) -> bool:
    return report_scope(user) is not None


def _percent(total: float, n: int):
    return ratio(total, n, 100)


def _won(value: float) -> str:
    return f"{int(value):,}"


def _rate(issued: int, sent: int) -> str:
    value = _percent(issued, sent)
    return "—" if value is None else f"{value:g}%"


def coupon_report(user, period: Period, filters: dict) -> ReportData:
    allowed = report_scope(user)
    if allowed is None:
        return ReportData()
    if filters.get("client"):
        allowed &= Q(scope=int(filters["client"]))
    rows = cells(ROLLUP, METRICS, allowed=allowed, first=period.first, last=period.last)
    bucketed = by_bucket(rows, period)
    starts = period.buckets()
    labels = [period.label(start) for start in starts]

    def each(metric, value=lambda t, n: n):
        return [value(*bucketed.get((metric, start), (0, 0))) for start in starts]

    whole = totals(rows)
    get = lambda metric: whole.get((metric,), (0, 0))  # noqa: E731
    sent, (cost, issued) = get("sent")[1], get("issued")
    data = ReportData(
        figures=[
            (_("Sends"), f"{sent:,}"),
            (_("Success rate"), _rate(issued, sent)),
            (_("Failures"), f"{sent - issued:,}"),
            (_("Cost (KRW)"), _won(cost)),
            (_("Used"), f"{get('used')[1]:,}"),
            (_("Expired"), f"{get('expired')[1]:,}"),
        ]
    )
    sends, successes = each("sent"), each("issued")
    failures = [s - i for s, i in zip(sends, successes, strict=True)]
    data.charts = [
        Chart(_("Sends and failures"), labels, [Series(_("Sends"), sends), Series(_("Failures"), failures)]),
        Chart(
            _("Success rate"),
            labels,
            [Series(_("Success rate"), [_percent(i, s) for i, s in zip(successes, sends, strict=True)])],
            kind="line",
            unit="%",
        ),
        Chart(_("Cost (KRW)"), labels, [Series(_("Cost (KRW)"), each("issued", lambda t, n: t))]),
    ]
    data.tables = [
        Table(
            "volume",
            _("Volume"),
            [_("Period"), _("Sends"), _("Failures"), _("Success rate"), _("Cost (KRW)"), _("Used"), _("Expired")],
            [
                [label, s, s - i, _percent(i, s), int(c), u, e]
                for label, s, i, c, u, e in zip(
                    labels, sends, successes, each("issued", lambda t, n: t), each("used"), each("expired"), strict=True
                )
            ],
        ),
        _breakdown(rows, "scope", "clients", _("By client"), _("Client"), _client_names),
        _breakdown(rows, "extra", "campaigns", _("By campaign"), _("Campaign"), _campaign_names, limit=CAMPAIGN_ROWS),
    ]
    return data


def _client_names(ids) -> dict:
    return dict(Client.objects.filter(pk__in=ids).values_list("pk", "name"))


def _campaign_names(ids) -> dict:
    return {pk: f"{name} ({client})" for pk, name, client in Campaign.objects.filter(pk__in=ids).values_list(
        "pk", "name", "client__name")}  # fmt: skip


def _breakdown(rows, dim, key, title, column, names_of, *, limit=None) -> Table:
    figures = totals(rows, dim)
    ids = sorted({value for (_m, value) in figures}, key=lambda v: -figures.get(("sent", v), (0, 0))[1])
    ids = ids[:limit] if limit else ids
    names = names_of([pk for pk in ids if pk])
    table_rows = []
    for pk in ids:
        get = lambda metric: figures.get((metric, pk), (0, 0))  # noqa: E731,B023
        sent, (cost, issued) = get("sent")[1], get("issued")
        table_rows.append(
            [names.get(pk, "—"), sent, sent - issued, _percent(issued, sent), int(cost), get("used")[1],
             get("expired")[1]]
        )  # fmt: skip
    return Table(
        key,
        title,
        [column, _("Sends"), _("Failures"), _("Success rate"), _("Cost (KRW)"), _("Used"), _("Expired")],
        table_rows,
    )


def _client_choices(user):
    allowed = report_scope(user)
    if allowed is None:
        return []
    clients = Client.objects.order_by("name")
    if not can_view_coupons(user):
        clients = clients.filter(department_id=employee_of(user).department_id)
    return [(str(pk), name) for pk, name in clients.values_list("pk", "name")]


def coupon_sends(user) -> WidgetData | None:
    """Yesterday's sends and failures and the weekly sends (rollup cells)."""
    allowed = report_scope(user)
    if allowed is None:
        return None
    period = trend_period()
    yesterday = period.last - timedelta(days=1)
    rows = cells(ROLLUP, ["sent", "issued"], allowed=allowed, first=period.first, last=period.last)
    weekly = by_bucket(rows, period)
    last_day = totals(rows.filter(day=yesterday))
    sent, issued = last_day.get(("sent",), (0, 0))[1], last_day.get(("issued",), (0, 0))[1]
    return WidgetData(
        figures=[(_("Sends yesterday"), sent), (_("Failures yesterday"), sent - issued)],
        chart=weekly_chart(_("Sends per week"), period, weekly, [(_("Sends"), "sent")]),
        link=(_("Coupon report"), reverse("reports:report", args=[ROLLUP])),
    )


COUPON_REPORT = Report(
    "coupons",
    _("Coupon send logs"),
    ROLLUP,
    coupon_report,
    can_see_coupon_reports,
    order=40,
    filters=(ReportFilter("client", _("Client"), _client_choices),),
)
COUPON_WIDGET = Widget("coupons.sends", _("Coupon sends"), coupon_sends, roles=ROLES, order=41)
