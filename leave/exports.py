"""The monthly leave export for payroll: one row per approved request and month, with the
days falling in that month (a leave across a month end is split, never counted twice),
whether it is paid and whether it drew on annual leave. CSV like the attendance export
(UTF-8 with BOM or CP949, erp.core.spreadsheet)."""

from datetime import date, timedelta

from django.utils.translation import gettext as _

from erp.core.spreadsheet import csv_bytes
from erp.workcalendar.calendar import get_calendar

from .models import DayPart


def headers() -> list[str]:
    return [
        _("Employee number"),
        _("Name"),
        _("Department"),
        _("Kind of leave"),
        _("Paid"),
        _("Draws on annual leave"),
        _("First day"),
        _("Last day"),
        _("Part of the day"),
        _("Days in this month"),
    ]


def _days_in(leave, first: date, last: date, calendar) -> float:
    start, end = max(first, leave.start_date), min(last, leave.end_date)
    count = sum(1 for n in range((end - start).days + 1) if calendar.is_working_day(start + timedelta(days=n)))
    return float(count * leave.leave_type.day_fraction)


def rows(leaves, first: date, last: date):
    calendar = get_calendar()
    yes, no = _("Yes"), _("No")
    for leave in leaves:
        employee = leave.employee
        yield [
            employee.employee_no or "",
            employee.display_name,
            employee.department.name if employee.department else "",
            leave.leave_type.name,
            yes if leave.leave_type.is_paid else no,
            yes if leave.leave_type.deducts_annual else no,
            leave.start_date.isoformat(),
            leave.end_date.isoformat(),
            "" if leave.part == DayPart.FULL else DayPart(leave.part).label,
            _days_in(leave, first, last, calendar),
        ]


def to_csv(leaves, first: date, last: date, *, encoding: str = "utf-8") -> bytes:
    return csv_bytes(headers(), rows(leaves, first, last), encoding=encoding)
