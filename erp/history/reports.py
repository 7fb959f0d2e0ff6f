"""The report registry: what each module reports, read from rollup cells only.

A module registers a Report from its AppConfig.ready()::

    register_report(Report(key="tickets", label=_("IT tickets"), rollup="tickets",
                           build=ticket_report, visible=can_see_ticket_reports))

``build(user, period)`` returns a ReportData: charts (drawn as SVG by erp.history.charts) and
tables (shown and exported as CSV). A report with ``filters`` (ReportFilter: a name, a label
and the choices a person may pick) gets ``build(user, period, filters)``, ``filters`` holding
the chosen values by name ("" = all), each checked against its choices (400 otherwise).
Who sees what is the module's rule: ``cells()`` takes the module's ``allowed`` condition on
the cells' scope/person dimensions (a manager's team), and a report that is not ``visible``
to a person answers 403.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import F, Q, Sum
from django.db.models.functions import TruncMonth, TruncWeek

from .models import RollupCell

BUCKETS = ("day", "week", "month")
MAX_PERIOD_DAYS = 3 * 366


@dataclass(frozen=True)
class Period:
    """[first, last] inclusive KST dates, cut into day / week (Mon–Sun) / month buckets."""

    first: date
    last: date
    bucket: str = "day"

    def buckets(self) -> list[date]:
        starts, day = [], self.bucket_of(self.first)
        while day <= self.last:
            starts.append(day)
            day = _next_bucket(day, self.bucket)
        return starts

    def bucket_of(self, day: date) -> date:
        if self.bucket == "week":
            return day - timedelta(days=day.weekday())
        if self.bucket == "month":
            return day.replace(day=1)
        return day

    def label(self, start: date) -> str:
        if self.bucket == "month":
            return f"{start:%Y-%m}"
        return f"{start:%m-%d}"


def _next_bucket(day: date, bucket: str) -> date:
    if bucket == "week":
        return day + timedelta(days=7)
    if bucket == "month":
        return (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return day + timedelta(days=1)


@dataclass
class Series:
    name: Any
    values: list[float]


@dataclass
class Chart:
    title: Any
    labels: list[str]
    series: list[Series]
    kind: str = "bar"  # "bar" (grouped bars) or "line"
    unit: str = ""


@dataclass
class Table:
    key: str  # the CSV export names it
    title: Any
    columns: list[Any]
    rows: list[list]


@dataclass
class ReportData:
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    figures: list[tuple[Any, str]] = field(default_factory=list)  # headline numbers (label, value)

    def table(self, key: str) -> Table | None:
        return next((t for t in self.tables if t.key == key), None)


@dataclass(frozen=True)
class ReportFilter:
    """A drop-down on the report page: ``choices(user)`` -> [(value, label)], values are slugs."""

    name: str
    label: Any
    choices: Callable[[Any], list[tuple[str, Any]]]


@dataclass(frozen=True, eq=False)
class Report:
    key: str
    label: Any
    rollup: str
    build: Callable[[Any, Period], ReportData]
    visible: Callable[[Any], bool]
    order: int = 50
    # A team's headline figures for the weekly / monthly Slack reports: (department id, period)
    # -> [(label, value)], [] when there is nothing to report. Optional.
    summary: Callable[[int, Period], list[tuple]] | None = None
    filters: tuple[ReportFilter, ...] = ()


_reports: dict[str, Report] = {}


def register_report(report: Report) -> None:
    existing = _reports.get(report.key)
    if existing is not None and existing is not report:
        raise ValueError(f"a report {report.key!r} is already registered")
    _reports[report.key] = report


def reports_for(user) -> list[Report]:
    return sorted((r for r in _reports.values() if r.visible(user)), key=lambda r: (r.order, r.key))


def has_reports(user) -> bool:
    return any(r.visible(user) for r in _reports.values())


def all_reports() -> list[Report]:
    return sorted(_reports.values(), key=lambda r: (r.order, r.key))


def get_report(key: str) -> Report | None:
    return _reports.get(key)


# --- reading cells -------------------------------------------------------------------------
def cells(rollup: str, metrics, *, allowed: Q, first: date | None = None, last: date | None = None):
    """The rollup's cells of ``metrics`` that ``allowed`` lets through, within [first, last]."""
    rows = RollupCell.objects.filter(rollup=rollup, metric__in=list(metrics)).filter(allowed)
    if first is not None:
        rows = rows.filter(day__gte=first)
    if last is not None:
        rows = rows.filter(day__lte=last)
    return rows


def by_bucket(rows, period: Period, *dims: str) -> dict[tuple, tuple[float, int]]:
    """{(metric, bucket start, *dims): (total, n)} summed in SQL."""
    if period.bucket == "week":
        rows = rows.annotate(bucket=TruncWeek("day"))
    elif period.bucket == "month":
        rows = rows.annotate(bucket=TruncMonth("day"))
    else:
        rows = rows.annotate(bucket=F("day"))
    summed = rows.values("metric", "bucket", *dims).annotate(t=Sum("total"), c=Sum("n")).order_by()
    return {(r["metric"], _as_date(r["bucket"]), *(r[d] for d in dims)): (r["t"] or 0, r["c"] or 0) for r in summed}


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def totals(rows, *dims: str) -> dict[tuple, tuple[float, int]]:
    """{(metric, *dims): (total, n)} over all of ``rows``."""
    summed = rows.values("metric", *dims).annotate(t=Sum("total"), c=Sum("n")).order_by()
    return {(r["metric"], *(r[d] for d in dims)): (r["t"] or 0, r["c"] or 0) for r in summed}


def ratio(total: float, n: int, scale: float = 1) -> float | None:
    return round(total / n * scale, 1) if n else None
