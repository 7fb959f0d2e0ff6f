"""The timeline's layout: each room's bookings and free gaps as positioned segments.

Pure arithmetic over selectors.timeline rows: a segment's left/width are percentages of the
day's opening hours, so the page draws bars with CSS alone (no JavaScript).
"""

import functools
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from erp.workcalendar.calendar import KST

from .models import Booking, MeetingSettings
from .selectors import MAX_SPAN, timeline

# Gaps shorter than this are not offered as "book here" (a 5-minute sliver helps nobody).
MIN_GAP = timedelta(minutes=15)


@dataclass(frozen=True)
class Segment:
    kind: str  # "booked" | "free"
    left: float
    width: float
    start: datetime
    end: datetime
    label: str = ""
    url: str = ""
    mine: bool = False
    times: str = ""  # "08:00~09:00" in KST: formatted here once, not by a template filter per cell


@functools.lru_cache(maxsize=4096)
def _clock(moment: datetime) -> str:
    """HH:MM in KST. A week's segments share few distinct times, so most are cache hits."""
    return moment.astimezone(KST).strftime("%H:%M")


@functools.lru_cache(maxsize=4096)
def _local_minute(moment: datetime) -> str:
    return moment.astimezone(KST).strftime("%Y-%m-%dT%H:%M")


def _window(day: date, rules: MeetingSettings) -> tuple[datetime, datetime]:
    return datetime.combine(day, rules.opens_at, KST), datetime.combine(day, rules.closes_at, KST)


def _percent(moment: datetime, window) -> float:
    total = (window[1] - window[0]).total_seconds()
    return round(max(0.0, min(1.0, (moment - window[0]).total_seconds() / total)) * 100, 3)


def book_url(room, start: datetime, end: datetime) -> str:
    # What urlencode() would give for these values (an id and two ASCII timestamps), without
    # its generic quoting per character: a week of 50 rooms builds hundreds of these.
    start_text, end_text = (_local_minute(moment).replace(":", "%3A") for moment in (start, end))
    return f"{_book_path()}?room={room.pk}&start={start_text}&end={end_text}"


@functools.cache
def _book_path() -> str:
    return reverse("meetings:book")


_PK = 987654321


@functools.cache
def _booking_path() -> str:
    """The booking page's path with a ``{}`` for the id: one reverse() instead of one per
    segment (a week of 50 rooms has a few thousand)."""
    return reverse("meetings:booking", args=[_PK]).replace(str(_PK), "{}")


@dataclass(frozen=True)
class Viewer:
    """Who looks: their employee id, admin rights, and the bookings in view they attend."""

    employee_id: int | None
    admin: bool
    attending: frozenset

    def sees_title(self, booking) -> bool:
        return (
            not booking.is_private
            or self.admin
            or booking.organizer_id == self.employee_id
            or booking.pk in self.attending
        )

    def takes_part(self, booking) -> bool:
        return booking.organizer_id == self.employee_id or booking.pk in self.attending


def _viewer(employee_id, admin: bool, start: datetime, end: datetime) -> Viewer:
    attending = frozenset()
    if employee_id is not None:
        attending = frozenset(
            Booking.attendees.through.objects.filter(
                employee_id=employee_id, booking__start__lt=end, booking__start__gt=start - MAX_SPAN
            ).values_list("booking_id", flat=True)
        )
    return Viewer(employee_id, admin, attending)


def _segments(row, window, viewer: Viewer, now: datetime) -> list[Segment]:
    segments = []
    booking_path = _booking_path()
    for booking in row.bookings:
        start, end = max(booking.start, window[0]), min(booking.end, window[1])
        if end <= start:
            continue
        left = _percent(start, window)
        segments.append(
            Segment(
                "booked",
                left,
                _percent(end, window) - left,
                booking.start,
                booking.end,
                label=booking.title if viewer.sees_title(booking) else _("Booked"),
                url=booking_path.format(booking.pk),
                mine=viewer.takes_part(booking),
                times=f"{_clock(booking.start)}~{_clock(booking.end)}",
            )
        )
    for gap_start, gap_end in row.free:
        gap_start = max(gap_start, window[0], now)
        gap_end = min(gap_end, window[1])
        if gap_end - gap_start < MIN_GAP:
            continue
        left = _percent(gap_start, window)
        # Clicking a gap proposes its first hour (or the whole gap when shorter).
        proposal_end = min(gap_end, gap_start + timedelta(hours=1))
        segments.append(
            Segment(
                "free",
                left,
                _percent(gap_end, window) - left,
                gap_start,
                gap_end,
                url=book_url(row.room, gap_start, proposal_end),
                times=f"{_clock(gap_start)}~{_clock(gap_end)}",
            )
        )
    return sorted(segments, key=lambda s: s.left)


def day_layout(day: date, *, user, employee_id, admin: bool) -> dict:
    rules = MeetingSettings.current()
    window = _window(day, rules)
    now = timezone.now()
    rows = timeline(window[0], window[1])
    viewer = _viewer(employee_id, admin, window[0], window[1])
    hours = []
    hour = window[0].replace(minute=0)
    while hour <= window[1]:
        if hour >= window[0]:
            hours.append({"label": hour.strftime("%H"), "left": _percent(hour, window)})
        hour += timedelta(hours=1)
    return {
        "rows": [{"room": row.room, "segments": _segments(row, window, viewer, now)} for row in rows],
        "hours": hours,
    }


def week_layout(first_day: date, *, user, employee_id, admin: bool) -> dict:
    """Room × day: each cell lists the bookings and the free gaps of that day."""
    rules = MeetingSettings.current()
    days = [first_day + timedelta(days=offset) for offset in range(7)]
    start = datetime.combine(first_day, datetime.min.time(), KST)
    rows = timeline(start, start + timedelta(days=7))
    viewer = _viewer(employee_id, admin, start, start + timedelta(days=7))
    now = timezone.now()
    windows = [_window(day, rules) for day in days]
    table = []
    for row in rows:
        # One pass per room into day buckets (a booking spanning midnight lands in both days).
        bookings, free = [[] for _ in days], [[] for _ in days]
        for items, bucket in ((row.bookings, bookings), (row.free, free)):
            for item in items:
                item_start, item_end = (item.start, item.end) if hasattr(item, "start") else item
                first = (item_start.astimezone(KST).date() - first_day).days
                last = (item_end.astimezone(KST).date() - first_day).days
                for index in range(max(first, 0), min(last, 6) + 1):
                    bucket[index].append(item)
        cells = [
            {"day": day, "segments": _segments(type(row)(row.room, bookings[i], free[i]), windows[i], viewer, now)}
            for i, day in enumerate(days)
        ]
        table.append({"room": row.room, "cells": cells})
    return {"days": days, "rows": table}
