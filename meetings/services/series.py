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
from erp.core.errors import ConflictError
from erp.workcalendar.calendar import KST

from ..models import SYNCED_SOURCES, BookingSeries, MeetingSettings, Status
from ..selectors import find_conflict, opening_interval
from .bookings import booking_cancel, booking_create, booking_move, booking_source, booking_update_details
from .rules import check_may_change, check_room, check_times, clean_title, taken_sentence, when

MAX_OCCURRENCES = 400
# Dates named in a refusal's message (the form lists every one from ``problems``).
MAX_LISTED = 10
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


class SeriesRefused(ConflictError):
    """Some occurrences cannot be booked: nothing was booked. ``problems`` lists each one as
    (start, end, why), so the form can name every date, not just the first."""

    code = "series_refused"

    def __init__(self, problems: list[tuple[datetime, datetime, str]]):
        self.problems = problems
        lines = [f"{when(start, end)}: {why}" for start, end, why in problems[:MAX_LISTED]]
        if len(problems) > MAX_LISTED:
            lines.append(_("and %(count)d more dates.") % {"count": len(problems) - MAX_LISTED})
        message = _("%(count)d of the dates cannot be booked, so nothing was booked.") % {"count": len(problems)}
        super().__init__(" ".join([message, *lines]))


def _problems(room, slots, *, source: str, actor, allow_past=False) -> list:
    """Why each (start, end, booking moved or None) of ``slots`` cannot be booked in ``room``
    (times, conflicts)."""
    buffer = timedelta(0) if source in SYNCED_SOURCES else timedelta(minutes=MeetingSettings.current().buffer_minutes)
    problems = []
    for start, end, moving in slots:
        try:
            check_times(start, end, source=source, allow_past=allow_past)
        except ValidationError as exc:
            problems.append((start, end, " ".join(exc.messages)))
            continue
        conflict = find_conflict(room, start, end, buffer=buffer, exclude=moving)
        if conflict is not None:
            problems.append((start, end, taken_sentence(conflict, room, actor.user)))
    return problems


def planned_starts(rrule: str, first_start: datetime, *, until: datetime | None = None) -> tuple[list, list]:
    """(starts to book, starts skipped because the day is off) of a rule up to ``until``
    (default six months)."""
    rules = MeetingSettings.current()
    starts, skipped = [], []
    for start in occurrences(rrule, first_start, until=until or first_start + DEFAULT_HORIZON):
        # Occurrences on days off (holidays, weekends unless bookable) are skipped, not refused.
        open_day = opening_interval(start.astimezone(KST).date(), rules) is not None
        (starts if open_day else skipped).append(start)
    return starts, skipped


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

    All or nothing: every occurrence is checked first, and if any collides or breaks a rule
    SeriesRefused lists them all, so a weekly stand-up never silently misses a week.
    Occurrences on days off (a holiday inside the series) are left out (``series.skipped``).
    """
    actor = as_actor(by)
    check_room(room)
    if not duration_minutes or duration_minutes <= 0:
        raise ValidationError(_("The end must be after the start."))
    rrule = rrule.removeprefix("RRULE:")
    starts, skipped = planned_starts(rrule, first_start, until=until)
    if not starts:
        raise ValidationError(_("The recurrence rule gives no occurrence."))
    length = timedelta(minutes=duration_minutes)
    source = booking_source(actor)
    problems = _problems(
        room, [(s, s + length, None) for s in starts], source=source, actor=actor, allow_past=actor.user is None
    )
    if problems:
        raise SeriesRefused(problems)
    series = BookingSeries.objects.create(
        room=room,
        title=clean_title(title),
        organizer=organizer,
        rrule=rrule,
        first_start=first_start,
        duration_minutes=duration_minutes,
        is_private=is_private,
        source=source,
    )
    for start in starts:  # checked again inside, and by the database: a race still refuses all
        booking_create(
            room=room,
            title=series.title,
            organizer=organizer,
            start=start,
            end=start + length,
            attendees=attendees,
            is_private=is_private,
            series=series,
            original_start=start,
            by=actor,
        )
    audit_record(series, "created", by=actor, occurrences=len(starts), rrule=series.rrule)
    series.skipped = skipped
    return series


def upcoming(series: BookingSeries, *, after: datetime | None = None):
    """The confirmed occurrences from ``after`` (default now) on, in order."""
    return series.bookings.filter(status=Status.CONFIRMED, start__gte=after or timezone.now()).order_by("start")


@transaction.atomic
def series_update(
    *, series: BookingSeries, by, title=None, room=None, start_time=None, end_time=None, after=None
) -> int:
    """Change the title, room and/or time of day of every upcoming occurrence, all or none
    (SeriesRefused lists every date that cannot move). Returns how many occurrences."""
    actor = as_actor(by)
    rows = list(upcoming(series, after=after).select_for_update())
    if not rows:
        raise ValidationError(_("This recurring meeting has no upcoming occurrence left."))
    for booking in rows:
        check_may_change(actor, booking)
    room = room or series.room
    check_room(room)
    moved = []
    for booking in rows:
        day = booking.start.astimezone(KST).date()
        start = datetime.combine(day, start_time, KST) if start_time else booking.start
        end = datetime.combine(day, end_time, KST) if end_time else booking.end
        moved.append((booking, start, end))
    changes_time = any((b.start, b.end, b.room_id) != (s, e, room.pk) for b, s, e in moved)
    if changes_time:
        slots = [(start, end, booking.pk) for booking, start, end in moved]
        problems = _problems(room, slots, source=booking_source(actor), actor=actor)
        if problems:
            raise SeriesRefused(problems)
    for booking, start, end in moved:
        if changes_time:
            booking_move(booking=booking, start=start, end=end, room=room, with_series=True, by=actor)
        if title is not None:
            booking_update_details(booking=booking, title=title, by=actor)
    first = moved[0]
    series.room = room
    series.duration_minutes = int((first[2] - first[1]).total_seconds() // 60)
    series.first_start = datetime.combine(
        series.first_start.astimezone(KST).date(), first[1].astimezone(KST).time(), KST
    )
    if title is not None:
        series.title = clean_title(title)
    series.save()
    audit_record(series, "updated", by=actor, occurrences=len(moved))
    return len(moved)


def expanded_starts(series: BookingSeries, *, until: datetime) -> list[datetime]:
    """The occurrences the series should have up to ``until``, exceptions left out."""
    skip = series.exceptions.values_list("original_start", flat=True)
    return occurrences(series.rrule, series.first_start, until=until, skip=list(skip))


@transaction.atomic
def series_cancel(*, series: BookingSeries, by, after: datetime | None = None) -> int:
    """Cancel every future occurrence (from ``after``, default now); returns how many."""
    return sum(1 for booking in upcoming(series, after=after) if booking_cancel(booking=booking, by=by))
