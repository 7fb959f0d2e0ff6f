"""The ONE company calendar: Korean public holidays (incl. substitute and lunar
holidays, from the ``holidays`` package) plus company days off and business hours.

SLA clocks, after-hours routing, attendance and room booking all ask it the same
questions: "is this a working day / moment?", "add N business minutes", "how many
business minutes lie between two moments?". All answers are in Asia/Seoul.
"""

import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as dtime
from zoneinfo import ZoneInfo

import holidays
from django.core.cache import cache

KST = ZoneInfo("Asia/Seoul")
_VERSION_KEY = "workcalendar:version"
# Per-process copy; rebuilt when an admin edit bumps the shared version, and at least
# every few minutes in case the cache backend was unavailable when the version moved.
_MAX_AGE_SECONDS = 300
# Guard against endless loops on a calendar with no working hours at all.
_MAX_DAYS_SCANNED = 3 * 366


@dataclass(frozen=True)
class DayHours:
    start: dtime
    end: dtime


@dataclass(frozen=True)
class Breaks:
    """The company's break policy (models.BreakPolicy), as attendance's derivation needs it."""

    mode: str = "presence"
    lunch_start: dtime = dtime(12, 0)
    lunch_end: dtime = dtime(13, 0)


class CompanyCalendar:
    def __init__(
        self, hours_by_weekday: dict[int, DayHours], days_off: dict[date, str], version=None, breaks: Breaks = Breaks()
    ):
        self.hours_by_weekday = hours_by_weekday
        self.days_off = days_off
        self.version = version
        self.breaks = breaks
        self._public = holidays.country_holidays("KR", language="ko")

    # --- days -----------------------------------------------------------------------
    def holiday_name(self, day: date) -> str | None:
        """Name of the public holiday or company day off on ``day``, else None."""
        if day in self.days_off:
            return self.days_off[day]
        return self._public.get(day)

    def is_holiday(self, day: date) -> bool:
        return self.holiday_name(day) is not None

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.hours_by_weekday and not self.is_holiday(day)

    def working_interval(self, day: date) -> tuple[datetime, datetime] | None:
        """The business hours of ``day`` as aware KST datetimes, or None on a day off."""
        if not self.is_working_day(day):
            return None
        hours = self.hours_by_weekday[day.weekday()]
        return datetime.combine(day, hours.start, KST), datetime.combine(day, hours.end, KST)

    def next_working_day(self, day: date) -> date:
        for offset in range(1, _MAX_DAYS_SCANNED):
            candidate = day + timedelta(days=offset)
            if self.is_working_day(candidate):
                return candidate
        raise ValueError("The company calendar has no working days.")

    def previous_working_day(self, day: date) -> date:
        for offset in range(1, _MAX_DAYS_SCANNED):
            candidate = day - timedelta(days=offset)
            if self.is_working_day(candidate):
                return candidate
        raise ValueError("The company calendar has no working days.")

    # --- moments --------------------------------------------------------------------
    def is_working_moment(self, moment: datetime) -> bool:
        local = moment.astimezone(KST)
        interval = self.working_interval(local.date())
        return interval is not None and interval[0] <= local < interval[1]

    def add_business_minutes(self, start: datetime, minutes: float) -> datetime:
        """The moment ``minutes`` business minutes after ``start``.

        Time outside business hours does not count: a ticket opened on Friday 17:30
        with a 60-minute target is due on the next working day at 09:30.
        """
        remaining = timedelta(minutes=minutes)
        cursor = start.astimezone(KST)
        for _ in range(_MAX_DAYS_SCANNED):
            interval = self.working_interval(cursor.date())
            if interval is not None and cursor < interval[1]:
                begin = max(cursor, interval[0])
                available = interval[1] - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
            cursor = datetime.combine(cursor.date() + timedelta(days=1), dtime.min, KST)
        raise ValueError("The company calendar has no working hours to add minutes to.")

    def business_minutes_between(self, start: datetime, end: datetime) -> float:
        """Business minutes elapsed from ``start`` to ``end`` (0 when end <= start)."""
        if end <= start:
            return 0.0
        total = timedelta()
        start, end = start.astimezone(KST), end.astimezone(KST)
        day = start.date()
        while day <= end.date():
            interval = self.working_interval(day)
            if interval is not None:
                overlap = min(end, interval[1]) - max(start, interval[0])
                if overlap > timedelta():
                    total += overlap
            day += timedelta(days=1)
        return total.total_seconds() / 60


def _load(version) -> CompanyCalendar:
    from .models import BreakPolicy, CompanyDayOff, WorkingHours

    hours = {row.weekday: DayHours(row.start, row.end) for row in WorkingHours.objects.all()}
    days_off = dict(CompanyDayOff.objects.values_list("date", "name"))
    policy = BreakPolicy.objects.order_by("pk").first()
    breaks = Breaks(policy.mode, policy.lunch_start, policy.lunch_end) if policy else Breaks()
    return CompanyCalendar(hours, days_off, version=version, breaks=breaks)


_cached: tuple[CompanyCalendar, float] | None = None


def _shared_version():
    try:
        return cache.get(_VERSION_KEY, 0)
    except Exception:  # a cache outage must not stop SLA clocks; fall back to the TTL
        return None


def get_calendar() -> CompanyCalendar:
    """The current company calendar (cached per process, refreshed after admin edits)."""
    global _cached
    version = _shared_version()
    if _cached is not None:
        calendar, loaded_at = _cached
        fresh = time.monotonic() - loaded_at < _MAX_AGE_SECONDS
        if fresh and (version is None or calendar.version == version):
            return calendar
    calendar = _load(version)
    _cached = (calendar, time.monotonic())
    return calendar


def invalidate_calendar() -> None:
    """Make every process reload the calendar on its next question."""
    global _cached
    _cached = None
    try:
        cache.set(_VERSION_KEY, time.time_ns(), None)
    except Exception:
        pass  # other processes pick the change up within _MAX_AGE_SECONDS
