"""Recurring meetings: an RFC 5545 rule expanded into bookings, with remembered exceptions.

Every occurrence up to the horizon is a Booking row (so the no-overlap constraint covers each
one and the timeline needs no expansion at read time). A cancelled or moved occurrence is a
SeriesException keyed by its original start: expanding again (a longer horizon) skips it.
"""

from datetime import datetime, timedelta

from dateutil.rrule import rrulestr
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from erp.audit.actor import as_actor
from erp.audit.services import audit_record
from erp.workcalendar.calendar import KST

from ..models import BookingSeries, MeetingSettings
from ..selectors import opening_interval
from .bookings import booking_cancel, booking_create, booking_source
from .rules import check_room, clean_title

MAX_OCCURRENCES = 400
DEFAULT_HORIZON = timedelta(days=180)


def occurrences(rule: str, first_start: datetime, *, until: datetime, skip=()) -> list[datetime]:
    """Starts of the rule's occurrences in [first_start, until), minus ``skip`` (aware, KST).

    The rule is evaluated in KST wall time (BYDAY=MO means a Seoul Monday).
    """
    try:
        parsed = rrulestr(f"RRULE:{rule.removeprefix('RRULE:')}", dtstart=first_start.astimezone(KST))
    except (ValueError, TypeError) as exc:
        raise ValidationError(_("The recurrence rule is not valid: %(error)s") % {"error": exc}) from exc
    skipped = {moment.astimezone(KST) for moment in skip}
    found = []
    for start in parsed.xafter(first_start.astimezone(KST) - timedelta(seconds=1), count=MAX_OCCURRENCES + 1):
        if start >= until:
            break
        if start not in skipped:
            found.append(start)
        if len(found) > MAX_OCCURRENCES:
            raise ValidationError(
                _("A recurring meeting can have at most %(max)d occurrences; shorten it.") % {"max": MAX_OCCURRENCES}
            )
    return found


@transaction.atomic
def series_create(
    *,
    room,
    title: str,
    organizer,
    rrule: str,
    first_start: datetime,
    duration_minutes: int,
    by,
    attendees=(),
    is_private: bool = False,
    until: datetime | None = None,
) -> BookingSeries:
    """Create the series and book every occurrence up to ``until`` (default six months).

    All or nothing: one occurrence that collides refuses the whole series with the
    BookingConflict naming it, so a weekly stand-up never silently misses a week. Occurrences
    on days off (a holiday inside a daily series) are left out.
    """
    actor = as_actor(by)
    check_room(room)
    if not duration_minutes or duration_minutes <= 0:
        raise ValidationError(_("The end must be after the start."))
    series = BookingSeries.objects.create(
        room=room,
        title=clean_title(title),
        organizer=organizer,
        rrule=rrule.removeprefix("RRULE:"),
        first_start=first_start,
        duration_minutes=duration_minutes,
        is_private=is_private,
        source=booking_source(actor),
    )
    rules = MeetingSettings.current()
    starts = [
        start
        for start in occurrences(series.rrule, first_start, until=until or first_start + DEFAULT_HORIZON)
        # Occurrences on days off (holidays, weekends unless bookable) are skipped, not refused.
        if opening_interval(start.astimezone(KST).date(), rules) is not None
    ]
    if not starts:
        raise ValidationError(_("The recurrence rule gives no occurrence."))
    for start in starts:
        booking_create(
            room=room,
            title=series.title,
            organizer=organizer,
            start=start,
            end=start + timedelta(minutes=duration_minutes),
            attendees=attendees,
            is_private=is_private,
            series=series,
            original_start=start,
            by=actor,
        )
    audit_record(series, "created", by=actor, occurrences=len(starts), rrule=series.rrule)
    return series


def expanded_starts(series: BookingSeries, *, until: datetime) -> list[datetime]:
    """The occurrences the series should have up to ``until``, exceptions left out."""
    skip = series.exceptions.values_list("original_start", flat=True)
    return occurrences(series.rrule, series.first_start, until=until, skip=list(skip))


@transaction.atomic
def series_cancel(*, series: BookingSeries, by, after: datetime | None = None) -> int:
    """Cancel every future occurrence (from ``after``, default now); returns how many."""
    after = after or timezone.now()
    rows = series.bookings.filter(status="confirmed", start__gte=after).order_by("start")
    return sum(1 for booking in rows if booking_cancel(booking=booking, by=by))
