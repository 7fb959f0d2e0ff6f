"""Daily ticket digest: one message per agent group channel at 09:00 KST on working days.

The period runs from the start of the previous working day to the start of today, so a
Monday digest also covers the weekend (and the day after a holiday covers the holiday):
nothing falls between two digests. Figures are aggregated in SQL: one query over tickets,
one over the satisfaction ratings given in the period (kept apart so the join never
multiplies the ticket counts).
"""

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _

from erp.people.models import Department
from erp.workcalendar.calendar import KST, get_calendar
from integrations.slack.core.outbox import enqueue
from integrations.slack.tickets.blocks.digest import DigestFigures, digest_message
from tickets.models import ACTIVE_STATUSES, SatisfactionRating, Ticket


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime

    @property
    def label(self) -> str:
        """``2026-09-18 (금) – 2026-09-20 (일)`` in the active language (strftime's %a is always English)."""
        last_day = (self.end - timedelta(days=1)).date()
        if last_day == self.start.date():
            return _day_label(self.start.date())
        return f"{_day_label(self.start.date())} – {_day_label(last_day)}"


def _day_label(day: date) -> str:
    return f"{day:%Y-%m-%d} ({WEEKDAYS_ABBR[day.weekday()]})"


def digest_period(today: date) -> Period:
    start_day = get_calendar().previous_working_day(today)
    return Period(datetime.combine(start_day, time(0), KST), datetime.combine(today, time(0), KST))


def group_figures(period: Period) -> dict[int, DigestFigures]:
    """Per group id: the digest figures, in one aggregate query over the relevant tickets."""
    created = Q(created_at__gte=period.start, created_at__lt=period.end)
    resolved = Q(resolved_at__gte=period.start, resolved_at__lt=period.end)
    responded = Q(first_responded_at__gte=period.start, first_responded_at__lt=period.end)
    breached = Q(first_response_breached=True) | Q(resolution_breached=True)
    open_breach = Q(status__in=ACTIVE_STATUSES) & breached
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
            sla_met=Count("pk", filter=resolved & has_sla & ~breached),
            open_breaches=Count("pk", filter=open_breach),
        )
        .order_by("group")
    )
    figures = {row.pop("group"): DigestFigures(**row) for row in rows}
    for group_id, (count, average) in satisfaction_by_group(period).items():
        base = figures.get(group_id) or DigestFigures(0, 0, None, None, 0, 0, 0)
        figures[group_id] = replace(base, ratings=count, avg_satisfaction=average)
    return figures


def satisfaction_by_group(period: Period) -> dict[int, tuple[int, float]]:
    """Per group id: (ratings given in the period, their average score), in one GROUP BY.

    A rating counts on the day it was last given or changed (``updated_at``), with the
    ticket's current group.
    """
    rows = (
        SatisfactionRating.objects.filter(
            updated_at__gte=period.start, updated_at__lt=period.end, ticket__group__isnull=False
        )
        .values("ticket__group")
        .annotate(count=Count("pk"), average=Avg("score"))
        .order_by("ticket__group")
    )
    return {row["ticket__group"]: (row["count"], float(row["average"])) for row in rows}


def send_daily_digest(today: date | None = None) -> int:
    """Enqueue one digest per group channel; returns how many were queued.

    Skips days off (holidays, company days off, weekends). Idempotent per group and day:
    a second run (beat catching up, a manual run) queues nothing new.
    """
    today = today or timezone.localdate()
    if not get_calendar().is_working_day(today):
        return 0
    period = digest_period(today)
    figures = group_figures(period)
    queued = 0
    groups = Department.objects.filter(pk__in=figures.keys(), is_active=True).order_by("name")
    for group in groups:
        channel = group.slack_channel_id or settings.SLACK_DEFAULT_CHANNEL
        group_figures_ = figures[group.pk]
        if not channel or group_figures_.is_empty:
            continue
        text, blocks = digest_message(group.name, _("Since %(label)s") % {"label": period.label}, group_figures_)
        row = enqueue(
            kind="tickets.digest",
            target=channel,
            text=text,
            blocks=blocks,
            record=group,
            message_key=f"tickets.digest:{group.pk}:{today.isoformat()}",
            once=True,
        )
        queued += row is not None
    return queued
