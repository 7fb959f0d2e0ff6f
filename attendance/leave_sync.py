"""Approved full-day leave marks the attendance work days (leave → attendance, one way).

leave knows nothing of attendance; attendance listens to leave's signals from its
AppConfig.ready(). Inside the leave service's transaction, each working day of an approved
full-day leave is marked on leave (attendance.services.work_day_set_leave: the month view
shows it, no "missing check-in" is flagged for it, the export counts it), and cancelling
approved leave clears those days again. Half days change no work day: the person works the
other half, and the month and team views show the half from leave.selectors.
"""

from datetime import timedelta

from erp.workcalendar.calendar import get_calendar

from .services import work_day_set_leave


def _full_days(request):
    if request.part != "full":
        return []
    calendar = get_calendar()
    days, day = [], request.start_date
    while day <= request.end_date:
        if calendar.is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def on_leave_decided(sender, request, employee, approved, by, **kwargs):
    if approved:
        for day in _full_days(request):
            work_day_set_leave(employee=employee, date=day, on_leave=True, by=by)


def on_leave_cancelled(sender, request, employee, was_approved, by, **kwargs):
    if was_approved:
        for day in _full_days(request):
            work_day_set_leave(employee=employee, date=day, on_leave=False, by=by)


def connect() -> None:
    from leave.signals import leave_cancelled, leave_decided

    leave_decided.connect(on_leave_decided, dispatch_uid="attendance.leave_decided")
    leave_cancelled.connect(on_leave_cancelled, dispatch_uid="attendance.leave_cancelled")
