"""Monthly attendance export for payroll: CSV (UTF-8 with BOM, opens cleanly in Korean Excel) and XLSX.

One row per work day plus, in the XLSX, a per-person summary sheet (days, hours, weekly overtime
beyond 40 h, the longest week). Times are KST; minutes are also given as hours for payroll.
"""

import csv
import io
from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from erp.core.spreadsheet import append_safe_row, safe_cell
from erp.workcalendar.calendar import KST, get_calendar

from .conf import weekly_limits
from .models import DayState

WEEKDAYS = ("월", "화", "수", "목", "금", "토", "일")


def _hours(minutes: int) -> float:
    return round(minutes / 60, 2)


def _time(moment) -> str:
    return moment.astimezone(KST).strftime("%Y-%m-%d %H:%M") if moment else ""


def day_headers() -> list[str]:
    return [
        _("Employee no."),
        _("Name"),
        _("Department"),
        _("Date"),
        _("Weekday"),
        _("Holiday"),
        _("State"),
        _("Location"),
        _("Place"),
        _("Check-in"),
        _("Check-out"),
        _("Present (min)"),
        _("Breaks (min)"),
        _("Worked (min)"),
        _("Worked (h)"),
        _("Corrected"),
    ]


def day_row(wd, calendar=None) -> list:
    employee = wd.employee
    # Ask the calendar, not the stored name: a company day off added later still shows.
    holiday = (calendar or get_calendar()).holiday_name(wd.date) or ""
    return [
        employee.employee_no or "",
        employee.display_name,
        employee.department.name if employee.department else "",
        wd.date.isoformat(),
        WEEKDAYS[wd.date.weekday()],
        holiday,
        str(DayState(wd.state).label),
        str(wd.get_location_display()) if wd.first_in else "",
        wd.place,
        _time(wd.first_in),
        _time(wd.last_out),
        wd.gross_minutes,
        wd.break_minutes,
        wd.worked_minutes,
        _hours(wd.worked_minutes),
        str(_("yes")) if wd.is_corrected else "",
    ]


@dataclass
class PersonTotals:
    employee: object
    days: int = 0
    worked: int = 0
    missing: int = 0
    holiday_days: int = 0
    leave_days: int = 0


def summary(work_days) -> tuple[list[str], list[list]]:
    """Per-person totals; weekly overtime uses the Mon–Sun weeks that start in the month."""
    limits = weekly_limits()
    people: dict[int, PersonTotals] = {}
    weeks: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    for wd in work_days:
        totals = people.setdefault(wd.employee_id, PersonTotals(wd.employee))
        totals.days += 1 if wd.first_in else 0
        totals.worked += wd.worked_minutes
        totals.missing += wd.state in (DayState.MISSING_CHECKOUT, DayState.MISSING_CHECKIN)
        totals.holiday_days += 1 if (wd.holiday_name and wd.worked_minutes) else 0
        totals.leave_days += 1 if wd.on_leave else 0
        weeks[wd.employee_id][wd.week_start] += wd.worked_minutes
    headers = [
        _("Employee no."),
        _("Name"),
        _("Department"),
        _("Days worked"),
        _("Worked (h)"),
        _("Overtime beyond 40 h/week (h)"),
        _("Longest week (h)"),
        _("Weeks over 52 h"),
        _("Days worked on holidays"),
        _("Missing punches"),
        _("Days on leave"),
    ]
    rows = []
    for employee_id, totals in people.items():
        week_minutes = weeks[employee_id].values()
        employee = totals.employee
        rows.append(
            [
                employee.employee_no or "",
                employee.display_name,
                employee.department.name if employee.department else "",
                totals.days,
                _hours(totals.worked),
                _hours(sum(max(0, m - limits.standard) for m in week_minutes)),
                _hours(max(week_minutes, default=0)),
                sum(1 for m in week_minutes if m > limits.cap),
                totals.holiday_days,
                totals.missing,
                totals.leave_days,
            ]
        )
    return headers, rows


def to_csv(work_days) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(day_headers())
    calendar = get_calendar()
    for wd in work_days:
        # Free text (a client-site place, a name) must not run as a formula in Excel.
        writer.writerow([safe_cell(value) for value in day_row(wd, calendar)])
    # The BOM makes Excel read UTF-8 instead of guessing CP949 and garbling Hangul.
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def to_xlsx(work_days, *, title: str) -> bytes:
    work_days = list(work_days)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Days")[:31]
    calendar = get_calendar()
    _fill(sheet, day_headers(), [day_row(wd, calendar) for wd in work_days])
    headers, rows = summary(work_days)
    _fill(book.create_sheet(_("Summary")[:31]), headers, rows)
    book.properties.title = title
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _fill(sheet, headers, rows):
    append_safe_row(sheet, headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        append_safe_row(sheet, row)
    sheet.freeze_panes = "A2"
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, min(24, len(str(header)) + 4))
