"""Free and busy: conflicts, free rooms, the nearest free slot, the timeline of rooms.

Overlap is half-open ([start, end)), as in the database constraint. Every query bounds the
bookings' start from below by ``MAX_SPAN`` (no booking is longer), so "what overlaps this
hour" is a short range scan of the (room, start) or (start) index instead of a scan of
every future booking.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from erp.workcalendar.calendar import KST, get_calendar

from ..models import Booking, MeetingSettings, Room, Status

# The longest any booking may be (synced ones included): the lower bound of overlap queries.
MAX_SPAN = timedelta(hours=24)
# How far the nearest-free-slot search looks ahead.
SUGGEST_DAYS = 7


def overlapping(start: datetime, end: datetime, *, buffer: timedelta = timedelta(0)) -> QuerySet:
    """Confirmed bookings overlapping [start - buffer, end + buffer)."""
    low, high = start - buffer, end + buffer
    return Booking.objects.filter(status=Status.CONFIRMED, start__lt=high, start__gt=low - MAX_SPAN, end__gt=low)


def find_conflict(room: Room, start: datetime, end: datetime, *, buffer=timedelta(0), exclude=None) -> Booking | None:
    rows = overlapping(start, end, buffer=buffer).filter(room=room).select_related("organizer", "room")
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    return rows.order_by("start").first()


def free_rooms(start: datetime, end: datetime, *, capacity: int = 1, exclude_room=None, buffer=None) -> QuerySet:
    """Active rooms for ``capacity`` people free during [start, end), smallest fitting first."""
    if buffer is None:
        buffer = timedelta(minutes=MeetingSettings.current().buffer_minutes)
    busy = overlapping(start, end, buffer=buffer).values("room_id")
    rooms = Room.objects.filter(is_active=True, capacity__gte=max(1, capacity)).exclude(pk__in=busy)
    if exclude_room is not None:
        rooms = rooms.exclude(pk=exclude_room.pk)
    return rooms.order_by("capacity", "floor", "name")


def opening_interval(day: date, rules: MeetingSettings) -> tuple[datetime, datetime] | None:
    """The bookable hours of ``day`` (KST), or None when the day is off and off days are closed."""
    if not rules.allow_days_off and not get_calendar().is_working_day(day):
        return None
    return datetime.combine(day, rules.opens_at, KST), datetime.combine(day, rules.closes_at, KST)


def busy_intervals(room: Room, start: datetime, end: datetime, *, buffer=timedelta(0), exclude=None):
    rows = overlapping(start, end).filter(room=room)
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    return [(s - buffer, e + buffer) for s, e in rows.order_by("start").values_list("start", "end")]


def gaps(window: tuple[datetime, datetime], busy: list[tuple[datetime, datetime]]):
    """The free stretches of ``window`` between the (sorted) busy intervals."""
    cursor, last = window
    found = []
    for busy_start, busy_end in busy:
        if busy_start > cursor:
            found.append((cursor, min(busy_start, last)))
        cursor = max(cursor, busy_end)
        if cursor >= last:
            break
    if cursor < last:
        found.append((cursor, last))
    return [(s, e) for s, e in found if e > s]


def nearest_free_slot(room: Room, start: datetime, end: datetime, *, exclude=None, now=None):
    """The free slot of the same length in ``room`` closest to ``start`` (within opening hours,
    from now on, up to SUGGEST_DAYS ahead), as (start, end), or None."""
    rules = MeetingSettings.current()
    buffer = timedelta(minutes=rules.buffer_minutes)
    length = end - start
    now = now or timezone.now()
    best = None
    first_day = start.astimezone(KST).date()
    for offset in range(SUGGEST_DAYS):
        window = opening_interval(first_day + timedelta(days=offset), rules)
        if window is None:
            continue
        window = (max(window[0], now), window[1])
        if window[1] - window[0] < length:
            continue
        busy = busy_intervals(room, window[0], window[1], buffer=buffer, exclude=exclude)
        for gap_start, gap_end in gaps(window, busy):
            if gap_end - gap_start < length:
                continue
            candidate = min(max(start, gap_start), gap_end - length)
            distance = abs(candidate - start)
            if best is None or distance < best[0]:
                best = (distance, candidate)
        if best is not None:
            break  # a later day is always further away than a slot found on this one
    return (best[1], best[1] + length) if best else None


@dataclass(frozen=True)
class Occupied:
    """What the timeline needs of a booking (no model instances: a week of 50 rooms is
    thousands of rows, and building Booking objects was most of its time)."""

    pk: int
    room_id: int
    start: datetime
    end: datetime
    title: str
    is_private: bool
    organizer_id: int


@dataclass(frozen=True)
class RoomRow:
    room: Room
    bookings: list
    free: list  # [(start, end)] inside opening hours


def timeline(start: datetime, end: datetime, *, rooms=None) -> list[RoomRow]:
    """Every active room with its confirmed bookings (as Occupied) in [start, end) and the
    free gaps of each day's opening hours: two queries whatever the number of rooms."""
    rules = MeetingSettings.current()
    rooms = list(rooms if rooms is not None else Room.objects.filter(is_active=True).order_by("floor", "name"))
    by_room = {room.pk: [] for room in rooms}
    fields = ("pk", "room_id", "start", "end", "title", "is_private", "organizer_id")
    rows = overlapping(start, end).filter(room__in=rooms).order_by("start").values_list(*fields)
    for values in rows:
        booking = Occupied(*values)
        by_room[booking.room_id].append(booking)
    days = []
    day = start.astimezone(KST).date()
    while datetime.combine(day, datetime.min.time(), KST) < end:
        window = opening_interval(day, rules)
        if window is not None:
            days.append((max(window[0], start), min(window[1], end)))
        day += timedelta(days=1)
    result = []
    for room in rooms:
        busy = [(b.start, b.end) for b in by_room[room.pk]]
        free = [gap for window in days if window[1] > window[0] for gap in gaps(window, busy)]
        result.append(RoomRow(room=room, bookings=by_room[room.pk], free=free))
    return result
