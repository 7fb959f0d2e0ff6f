"""The inquiry report for sales and marketing: figures only, no personal data.

Counted over every inquiry except the quarantine (like inquiry_counts): by week, source,
category and status, with the conversion rate — the share converted to a ticket (a
customer request that became work) — and the share answered.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncDate

from erp.workcalendar.calendar import KST

from ..models import Inquiry, Status, TicketLink
from .access import inquiry_counts, sees_inquiries


@dataclass
class Week:
    start: date
    total: int = 0
    converted: int = 0
    answered: int = 0

    @property
    def conversion_rate(self) -> float | None:
        return self.converted / self.total if self.total else None


@dataclass
class Report:
    since: date
    until: date  # exclusive
    weeks: list[Week] = field(default_factory=list)
    by_source: dict = field(default_factory=dict)
    by_category: dict = field(default_factory=dict)
    by_status: dict = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(week.total for week in self.weeks)

    @property
    def converted(self) -> int:
        return sum(week.converted for week in self.weeks)

    @property
    def answered(self) -> int:
        return sum(week.answered for week in self.weeks)

    @property
    def conversion_rate(self) -> float | None:
        return self.converted / self.total if self.total else None


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())  # Monday, as Korean calendars start the week


def inquiry_report(user, *, today: date, weeks: int) -> Report:
    """The last ``weeks`` weeks (Monday–Sunday, KST) up to and including ``today``'s week."""
    first = week_start(today) - timedelta(weeks=weeks - 1)
    until = week_start(today) + timedelta(weeks=1)
    report = Report(since=first, until=until, weeks=[Week(first + timedelta(weeks=i)) for i in range(weeks)])
    if not sees_inquiries(user):
        return report
    since_at, until_at = datetime.combine(first, time.min, KST), datetime.combine(until, time.min, KST)
    rows = (
        Inquiry.objects.exclude(status=Status.SPAM)
        .filter(received_at__gte=since_at, received_at__lt=until_at)
        .annotate(converted=Exists(TicketLink.objects.filter(inquiry=OuterRef("pk"))))
    )
    # Per day in SQL (TruncDate in KST works on SQLite and PostgreSQL alike), folded into weeks here.
    daily = (
        rows.annotate(day=TruncDate("received_at", tzinfo=KST))
        .values("day")
        .annotate(
            n=Count("id"),
            converted_n=Count("id", filter=Q(converted=True)),
            answered_n=Count("id", filter=Q(answered_at__isnull=False)),
        )
        .order_by("day")
    )
    by_start = {week.start: week for week in report.weeks}
    for row in daily:
        week = by_start.get(week_start(row["day"]))
        if week is not None:
            week.total += row["n"]
            week.converted += row["converted_n"]
            week.answered += row["answered_n"]
    counts = inquiry_counts(user, since=since_at, until=until_at)
    report.by_source, report.by_category, report.by_status = (
        counts["by_source"],
        counts["by_category"],
        counts["by_status"],
    )
    return report
