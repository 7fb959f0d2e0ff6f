"""The timeline's layout: each room's bookings and free gaps as positioned segments.

Pure arithmetic over selectors.timeline rows: a segment's left/width are percentages of the
day's opening hours, so the page draws bars with CSS alone (no JavaScript).
"""

import functools
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from erp.workcalendar.calendar import KST, get_calendar

from .models import Booking, MeetingSettings
from .selectors import MAX_SPAN, timeline
from .timeline_cache import cached

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


def _free_segment(room, gap_start: datetime, gap_end: datetime, window) -> Segment:
    left = _percent(gap_start, window)
    # Clicking a gap proposes its first hour (or the whole gap when shorter).
    proposal_end = min(gap_end, gap_start + timedelta(hours=1))
    return Segment(
        "free",
        left,
        _percent(gap_end, window) - left,
        gap_start,
        gap_end,
        url=book_url(room, gap_start, proposal_end),
        times=f"{_clock(gap_start)}~{_clock(gap_end)}",
    )


def _plan_cell(room, bookings, free, window) -> tuple:
    """One room's day as everybody would see it, in display order: (Segment, detail) pairs.

    A booked segment carries its title and ``mine=False``, with (booking, the same segment
    marked as the viewer's) as detail: the viewer may see "Booked" instead, or their own
    meeting. A free one carries its bounds as POSIX seconds (cheap to compare with the
    clock, which trims it)."""
    booking_path = _booking_path()
    items = []
    for booking in bookings:
        start, end = max(booking.start, window[0]), min(booking.end, window[1])
        if end <= start:
            continue
        left = _percent(start, window)
        times = f"{_clock(booking.start)}~{_clock(booking.end)}"
        segment = Segment(
            "booked", left, _percent(end, window) - left, booking.start, booking.end, booking.title,
            booking_path.format(booking.pk), False, times,
        )  # fmt: skip
        items.append((segment, (booking, replace(segment, mine=True))))
    for gap_start, gap_end in free:
        gap_start, gap_end = max(gap_start, window[0]), min(gap_end, window[1])
        if gap_end - gap_start >= MIN_GAP:
            segment = _free_segment(room, gap_start, gap_end, window)
            items.append((segment, (gap_start.timestamp(), gap_end.timestamp())))
    # Gaps never overlap bookings, so trimming a gap's start to "now" keeps this order.
    items.sort(key=lambda item: item[0].left)
    return tuple(items)


def _segments(room, items, window, viewer: Viewer, now: datetime) -> list[Segment]:
    """The planned segments as this viewer sees them now (most are the planned objects)."""
    segments = []
    now_seconds, min_gap = now.timestamp(), MIN_GAP.total_seconds()
    hidden = None
    for segment, detail in items:
        if segment.kind == "booked":
            booking, as_mine = detail
            if viewer.takes_part(booking):  # organizer or attendee: also sees the title
                segment = as_mine
            elif booking.is_private and not viewer.sees_title(booking):
                hidden = hidden or _("Booked")
                segment = replace(segment, label=hidden)
        else:
            start_seconds, end_seconds = detail
            if start_seconds < now_seconds:  # the gap has begun: what is left of it, if enough
                if end_seconds - now_seconds < min_gap:
                    continue
                segment = _free_segment(room, now, segment.end, window)
        segments.append(segment)
    return segments


def _calendar_version():
    return get_calendar().version


def _day_plan(day: date) -> dict:
    window = _window(day, MeetingSettings.current())
    rows = timeline(window[0], window[1])
    return {
        "window": window,
        "rows": [(row.room, _plan_cell(row.room, row.bookings, row.free, window)) for row in rows],
    }


def day_layout(day: date, *, user, employee_id, admin: bool) -> dict:
    plan = cached(("day", day.isoformat(), _calendar_version()), lambda: _day_plan(day))
    window = plan["window"]
    now = timezone.now()
    viewer = _viewer(employee_id, admin, window[0], window[1])
    hours = []
    hour = window[0].replace(minute=0)
    while hour <= window[1]:
        if hour >= window[0]:
            hours.append({"label": hour.strftime("%H"), "left": _percent(hour, window)})
        hour += timedelta(hours=1)
    return {
        "rows": [
            {"room": room, "segments": _segments(room, items, window, viewer, now)} for room, items in plan["rows"]
        ],
        "hours": hours,
    }


def _week_plan(first_day: date) -> dict:
    rules = MeetingSettings.current()
    days = [first_day + timedelta(days=offset) for offset in range(7)]
    start = datetime.combine(first_day, datetime.min.time(), KST)
    windows = [_window(day, rules) for day in days]
    rows = []
    for row in timeline(start, start + timedelta(days=7)):
        # One pass per room into day buckets (a booking spanning midnight lands in both days).
        bookings, free = [[] for _ in days], [[] for _ in days]
        for items, bucket in ((row.bookings, bookings), (row.free, free)):
            for item in items:
                item_start, item_end = (item.start, item.end) if hasattr(item, "start") else item
                first = (item_start.astimezone(KST).date() - first_day).days
                last = (item_end.astimezone(KST).date() - first_day).days
                for index in range(max(first, 0), min(last, 6) + 1):
                    bucket[index].append(item)
        rows.append((row.room, tuple(_plan_cell(row.room, bookings[i], free[i], windows[i]) for i in range(7))))
    return {"days": days, "windows": windows, "rows": rows}


def week_layout(first_day: date, *, user, employee_id, admin: bool) -> dict:
    """Room × day: each cell lists the bookings and the free gaps of that day."""
    plan = cached(("week", first_day.isoformat(), _calendar_version()), lambda: _week_plan(first_day))
    days, windows = plan["days"], plan["windows"]
    start = datetime.combine(first_day, datetime.min.time(), KST)
    viewer = _viewer(employee_id, admin, start, start + timedelta(days=7))
    now = timezone.now()
    table = [
        {
            "room": room,
            "cells": [
                {"day": day, "segments": _segments(room, cells[i], windows[i], viewer, now)}
                for i, day in enumerate(days)
            ],
        }
        for room, cells in plan["rows"]
    ]
    return {"days": days, "rows": table}
