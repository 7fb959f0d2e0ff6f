"""Attendance settings with their defaults (each may be set in erp/settings via the environment).

Read at call time, so tests can override them with pytest-django's ``settings`` fixture.
"""

from dataclasses import dataclass

from django.conf import settings

DEFAULTS = {
    # A punch before this hour (KST) closes the previous day's open shift: a shift belongs to
    # the day it started, also across midnight.
    "ATTENDANCE_DAY_CUTOFF_HOUR": 4,
    # A shift still open from the previous day is closed by the next day's first punch (not an
    # explicit "in") within this many hours of its check-in, past the cut-off too (night shifts).
    "ATTENDANCE_MAX_SHIFT_HOURS": 12,
    # Statutory breaks (근로기준법 제54조): "presence minutes above which: break minutes".
    "ATTENDANCE_BREAKS": ((240, 30), (480, 60)),
    "ATTENDANCE_WEEKLY_STANDARD_MINUTES": 40 * 60,
    "ATTENDANCE_WEEKLY_CAP_MINUTES": 52 * 60,
    "ATTENDANCE_WEEKLY_WARNING_MINUTES": 48 * 60,
    # Expected worked minutes of a working day, for the projected-breach forecast.
    "ATTENDANCE_EXPECTED_DAY_MINUTES": 8 * 60,
    "ATTENDANCE_MISSING_CHECKOUT_HOUR": 21,
    # Check-in/out signals (→ DMs) only for punches at most this old: a device replaying
    # yesterday's backlog must not DM everyone about yesterday.
    "ATTENDANCE_NOTIFY_MAX_AGE_MINUTES": 30,
    "ATTENDANCE_MAX_BATCH": 1000,
    # Device webhook punches older than this many days are held for an admin's review instead
    # of being applied (security review M5: a token could rewrite history back to 2019).
    # A device may set its own window (Device.backdate_days). Admin CSV uploads apply directly.
    "ATTENDANCE_BACKDATE_DAYS": 7,
}


def setting(name: str):
    return getattr(settings, name, DEFAULTS[name])


@dataclass(frozen=True)
class WeeklyLimits:
    standard: int
    warning: int
    cap: int


def weekly_limits() -> WeeklyLimits:
    return WeeklyLimits(
        standard=setting("ATTENDANCE_WEEKLY_STANDARD_MINUTES"),
        warning=setting("ATTENDANCE_WEEKLY_WARNING_MINUTES"),
        cap=setting("ATTENDANCE_WEEKLY_CAP_MINUTES"),
    )


def break_rules() -> list[tuple[int, int]]:
    """[(threshold_minutes, break_minutes)] from a tuple/list or an env string "240:30,480:60"."""
    value = setting("ATTENDANCE_BREAKS")
    if isinstance(value, str):
        value = [tuple(int(x) for x in part.split(":")) for part in value.split(",") if part.strip()]
    return sorted((int(a), int(b)) for a, b in value)


def company_break_rules():
    """The statutory minimum plus the company's break policy (the calendar's BreakPolicy)."""
    from erp.workcalendar.calendar import get_calendar

    from .derivation import BreakRules

    return BreakRules(tuple(break_rules()), get_calendar().breaks)
