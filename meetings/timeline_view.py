"""The timeline's layout: each room's bookings and free gaps as positioned segments.

Pure arithmetic over selectors.timeline rows: a segment's left/width are percentages of the
day's opening hours, so the page draws bars with CSS alone (no JavaScript).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from erp.workcalendar.calendar import KST

from .models import MeetingSettings
from .selectors import shown_title, timeline

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


def _window(day: date, rules: MeetingSettings) -> tuple[datetime, datetime]:
    return datetime.combine(day, rules.opens_at, KST), datetime.combine(day, rules.closes_at, KST)


def _percent(moment: datetime, window) -> float:
    total = (window[1] - window[0]).total_seconds()
    return round(max(0.0, min(1.0, (moment - window[0]).total_seconds() / total)) * 100, 3)


def book_url(room, start: datetime, end: datetime) -> str:
    query = {"room": room.pk, "start": start.astimezone(KST).strftime("%Y-%m-%dT%H:%M")}
    query["end"] = end.astimezone(KST).strftime("%Y-%m-%dT%H:%M")
    return reverse("meetings:book") + "?" + urlencode(query)


def _segments(row, window, user, employee_id, admin: bool, now: datetime) -> list[Segment]:
    segments = []
    for booking in row.bookings:
        start, end = max(booking.start, window[0]), min(booking.end, window[1])
        if end <= start:
            continue
        booking._attendee_ids = {a.pk for a in booking.attendees.all()}  # prefetched
        left = _percent(start, window)
        segments.append(
            Segment(
                "booked",
                left,
                _percent(end, window) - left,
                booking.start,
                booking.end,
                label=shown_title(user, booking, admin=admin),
                url=reverse("meetings:booking", args=[booking.pk]),
                mine=booking.organizer_id == employee_id or employee_id in booking._attendee_ids,
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
            )
        )
    return sorted(segments, key=lambda s: s.left)


def day_layout(day: date, *, user, employee_id, admin: bool) -> dict:
    rules = MeetingSettings.current()
    window = _window(day, rules)
    now = timezone.now()
    rows = timeline(window[0], window[1])
    hours = []
    hour = window[0].replace(minute=0)
    while hour <= window[1]:
        if hour >= window[0]:
            hours.append({"label": hour.strftime("%H"), "left": _percent(hour, window)})
        hour += timedelta(hours=1)
    return {
        "rows": [{"room": row.room, "segments": _segments(row, window, user, employee_id, admin, now)} for row in rows],
        "hours": hours,
    }


def week_layout(first_day: date, *, user, employee_id, admin: bool) -> dict:
    """Room × day: each cell lists the bookings and the free gaps of that day."""
    rules = MeetingSettings.current()
    days = [first_day + timedelta(days=offset) for offset in range(7)]
    start = datetime.combine(first_day, datetime.min.time(), KST)
    rows = timeline(start, start + timedelta(days=7))
    now = timezone.now()
    table = []
    for row in rows:
        cells = []
        for day in days:
            window = _window(day, rules)
            day_row = type(row)(
                room=row.room,
                bookings=[b for b in row.bookings if b.start < window[1] and b.end > window[0]],
                free=[(s, e) for s, e in row.free if s < window[1] and e > window[0]],
            )
            cells.append({"day": day, "segments": _segments(day_row, window, user, employee_id, admin, now)})
        table.append({"room": row.room, "cells": cells})
    return {"days": days, "rows": table}
