"""Tells ticket round-robin who is off today (registered from AttendanceConfig.ready()).

tickets.availability is a registry tickets owns precisely so that it never imports attendance.
There is no app-neutral availability registry in erp/, so attendance — which knows leave — plugs
into that small module; the dependency points one way only (attendance → tickets.availability),
and tickets keeps working unchanged when attendance is not installed.
"""

from datetime import datetime

from .derivation import local_date
from .models import DayState, WorkDay

# Work-day states that mean "not working that day" (HOLIDAY is defensive: only shown, not stored).
OFF_STATES = (DayState.LEAVE, DayState.HOLIDAY)


def off_today(user, moment: datetime) -> bool | None:
    """False when ``user``'s work day at ``moment`` (KST date) is on leave or a day off with no
    punches; None (no opinion) otherwise. Someone on leave who checked in anyway counts as
    working. One indexed query; read-only."""
    employee = getattr(user, "employee", None) if getattr(user, "pk", None) else None
    if employee is None:
        return None
    off = WorkDay.objects.filter(employee=employee, date=local_date(moment), state__in=OFF_STATES).exists()
    return False if off else None
