"""The inquiry report and home widget, read from the ``inquiries`` rollup (inquiries/rollup.py).

Who sees what: the people the inquiries pages are for (sales and admins, and marketing, who
see the counts of every inquiry, as inquiry_counts allows): figures carry no personal data.
Everyone else has no inquiry report (403).
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

from .models import Category, InquirySource
from .rollup import CATEGORY_CODES, SOURCE_CODES
from .selectors import sees_inquiries

ROLLUP = "inquiries"
RECEIVED = pgettext_lazy("inquiry report", "Received")
CONVERTED = pgettext_lazy("inquiry report", "Converted")
METRICS = ["received", "converted", "first_answer", "spam"]


def report_scope(user) -> Q | None:
    return Q() if sees_inquiries(user) else None


def can_see_inquiry_reports(user) -> bool:
    return report_scope(user) is not None


def _chosen(filters: dict) -> Q:
    condition = Q()
    if filters.get("source"):
        condition &= Q(scope=SOURCE_CODES[filters["source"]])
    if filters.get("category"):
        condition &= Q(extra=CATEGORY_CODES[filters["category"]])
    return condition


def _hours(total: float, n: int):
    return ratio(total, n, 1 / 60)


def _percent(total: float, n: int):
    return ratio(total, n, 100)


def _shown(value, unit: str) -> str:
    return "—" if value is None else f"{value:g}{unit}"


def unanswered_now(allowed: Q) -> int:
    """Inquiries still waiting for a first answer, whenever they came in (a sum of small rows)."""
    return totals(cells(ROLLUP, ["unanswered"], allowed=allowed)).get(("unanswered",), (0, 0))[1]


def inquiry_report(user, period: Period, filters: dict) -> ReportData:
    allowed = report_scope(user)
    if allowed is None:
        return ReportData()
    allowed &= _chosen(filters)
    rows = cells(ROLLUP, METRICS, allowed=allowed, first=period.first, last=period.last)
    bucketed = by_bucket(rows, period)
    starts = period.buckets()
    labels = [period.label(start) for start in starts]

    def each(metric, value=lambda t, n: n):
        return [value(*bucketed.get((metric, start), (0, 0))) for start in starts]

    whole = totals(rows)
    get = lambda metric: whole.get((metric,), (0, 0))  # noqa: E731
    received, converted = get("received")[1], get("converted")[1]
    data = ReportData(
        figures=[
            (RECEIVED, str(received)),
            (_("Converted to tickets"), f"{converted} ({_shown(_percent(converted, received), '%')})"),
            (pgettext_lazy("inquiry report", "Answered"), str(get("first_answer")[1])),
            (_("Time to first answer"), _shown(_hours(*get("first_answer")), "h")),
            (_("Waiting for an answer now"), str(unanswered_now(allowed))),
            (_("Quarantined as spam"), str(get("spam")[1])),
        ]
    )
    by_source, by_category = totals(rows, "scope"), totals(rows, "extra")
    sources = [(code, InquirySource(value).label) for value, code in SOURCE_CODES.items()]
    categories = [(code, Category(value).label) for value, code in CATEGORY_CODES.items()]
    data.charts = [
        Chart(
            _("Received and converted"),
            labels,
            [Series(RECEIVED, each("received")), Series(CONVERTED, each("converted"))],
        ),
        Chart(
            _("Time to first answer (hours)"),
            labels,
            [Series(_("Time to first answer"), each("first_answer", _hours))],
            kind="line",
            unit="h",
        ),
        Chart(
            _("By source"),
            [str(label) for _code, label in sources],
            [Series(RECEIVED, [by_source.get(("received", code), (0, 0))[1] for code, _l in sources])],
        ),
        Chart(
            _("By category"),
            [str(label) for _code, label in categories],
            [Series(RECEIVED, [by_category.get(("received", code), (0, 0))[1] for code, _l in categories])],
        ),
    ]
    data.tables = [
        Table(
            "volume",
            _("Volume"),
            [
                _("Period"),
                RECEIVED,
                CONVERTED,
                _("Conversion rate"),
                pgettext_lazy("inquiry report", "Answered"),
                _("First answer (h)"),
            ],
            [
                [label, n, conv, _percent(conv, n), answered, hours]
                for label, n, conv, answered, hours in zip(
                    labels,
                    each("received"),
                    each("converted"),
                    each("first_answer"),
                    each("first_answer", _hours),
                    strict=True,
                )
            ],
        ),
        _breakdown("sources", _("By source"), _("Source"), by_source, sources),
        _breakdown("categories", _("By category"), _("Category"), by_category, categories),
    ]
    return data


def _breakdown(key, title, column, figures, names) -> Table:
    rows = []
    for code, label in names:
        get = lambda metric: figures.get((metric, code), (0, 0))  # noqa: E731,B023
        received, converted = get("received")[1], get("converted")[1]
        if received or get("spam")[1]:
            rate, hours = _percent(converted, received), _hours(*get("first_answer"))
            rows.append([label, received, converted, rate, hours, get("spam")[1]])
    return Table(
        key,
        title,
        [column, RECEIVED, CONVERTED, _("Conversion rate"), _("First answer (h)"), _("Spam")],
        rows,
    )


def _source_choices(user):
    return [(value, label) for value, label in InquirySource.choices]


def _category_choices(user):
    return [(value, label) for value, label in Category.choices]


def waiting_inquiries(user) -> WidgetData | None:
    """Sales, marketing and admins: inquiries waiting now and the weekly intake (rollup cells)."""
    allowed = report_scope(user)
    if allowed is None:
        return None
    period = trend_period()
    weekly = by_bucket(cells(ROLLUP, ["received"], allowed=allowed, first=period.first, last=period.last), period)
    this_week = period.buckets()[-1]
    return WidgetData(
        figures=[
            (_("Waiting for an answer"), unanswered_now(allowed)),
            (_("This week"), weekly.get(("received", this_week), (0, 0))[1]),
        ],
        chart=weekly_chart(_("Inquiries per week"), period, weekly, [(RECEIVED, "received")]),
        link=(_("Inquiry report"), reverse("reports:report", args=[ROLLUP])),
    )


INQUIRY_REPORT = Report(
    "inquiries",
    _("Customer inquiries"),
    ROLLUP,
    inquiry_report,
    can_see_inquiry_reports,
    order=30,
    filters=(
        ReportFilter("source", _("Source"), _source_choices),
        ReportFilter("category", _("Category"), _category_choices),
    ),
)
# Every role: sales people are plain staff in the portal's roles; the build decides.
INQUIRY_WIDGET = Widget("inquiries.waiting", _("Customer inquiries"), waiting_inquiries, roles=ROLES, order=40)
