"""Monthly attendance export for payroll: CSV (UTF-8 with BOM, or CP949 for older Korean
payroll tools) and XLSX (real date and time cells).

One row per work day plus, in the XLSX, a per-person summary sheet. For the statutory premiums
(근로기준법 제56조: 연장·야간·휴일 가산) every day has its overtime minutes (beyond 8 h a day),
night minutes (present between 22:00 and 06:00) and holiday minutes (worked on a public
holiday, a company day off or Sunday, the weekly paid rest day). Weekly overtime (beyond 40 h)
is computed over whole Mon–Sun weeks and counted in the month the week ends in, so a week
split by a month boundary is neither lost nor counted twice. Times are KST.
"""

import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from erp.core.spreadsheet import CSV_ENCODINGS, append_safe_row, csv_bytes
from erp.workcalendar.calendar import KST, get_calendar

from .conf import weekly_limits
from .models import DayState

# The reader's language (Django's own abbreviations: 월 … 일 in Korean, Mon … Sun in English).
WEEKDAYS = tuple(WEEKDAYS_ABBR[day] for day in range(7))


def _hours(minutes: int) -> float:
    return round(minutes / 60, 2)


DAY_MINUTES = 8 * 60  # 근로기준법 제50조: 8 hours a day
NIGHT_START, NIGHT_END = time(22, 0), time(6, 0)  # 근로기준법 제56조 ③


def _time(moment) -> str:
    return moment.astimezone(KST).strftime("%Y-%m-%d %H:%M") if moment else ""


def _cell_time(moment):
    """A naive KST datetime: openpyxl writes it as a real Excel date-time cell."""
    return moment.astimezone(KST).replace(tzinfo=None) if moment else None


def night_minutes(first_in, last_out) -> int:
    """Minutes of presence between 22:00 and 06:00 (KST), over any number of nights."""
    if not first_in or not last_out or last_out <= first_in:
        return 0
    start, end = first_in.astimezone(KST), last_out.astimezone(KST)
    total, day = 0, start.date() - timedelta(days=1)
    while day <= end.date():
        night_from = datetime.combine(day, NIGHT_START, KST)
        night_to = datetime.combine(day + timedelta(days=1), NIGHT_END, KST)
        overlap = (min(end, night_to) - max(start, night_from)).total_seconds()
        total += max(0, int(overlap // 60))
        day += timedelta(days=1)
    return total


def is_rest_day(day, calendar) -> bool:
    """A public holiday, a company day off, or Sunday (주휴일)."""
    return calendar.is_holiday(day) or day.weekday() == 6


def premium_minutes(wd, calendar) -> tuple[int, int, int]:
    """(overtime beyond 8 h, night, holiday) minutes of one work day."""
    holiday = wd.worked_minutes if wd.worked_minutes and is_rest_day(wd.date, calendar) else 0
    return max(0, wd.worked_minutes - DAY_MINUTES), night_minutes(wd.first_in, wd.last_out), holiday


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
        _("Overtime beyond 8 h (min)"),
        _("Night work 22–06 (min)"),
        _("Holiday work (min)"),
        _("Corrected"),
    ]


def day_row(wd, calendar=None, *, typed: bool = False) -> list:
    """One day; ``typed`` gives date and datetime objects (XLSX cells) instead of text (CSV)."""
    employee = wd.employee
    calendar = calendar or get_calendar()
    # Ask the calendar, not the stored name: a company day off added later still shows.
    holiday = calendar.holiday_name(wd.date) or ""
    overtime, night, holiday_work = premium_minutes(wd, calendar)
    when = (lambda m: _cell_time(m)) if typed else _time
    return [
        employee.employee_no or "",
        employee.display_name,
        employee.department.name if employee.department else "",
        wd.date if typed else wd.date.isoformat(),
        str(WEEKDAYS[wd.date.weekday()]),
        holiday,
        str(DayState(wd.state).label),
        str(wd.get_location_display()) if wd.first_in else "",
        wd.place,
        when(wd.first_in),
        when(wd.last_out),
        wd.gross_minutes,
        wd.break_minutes,
        wd.worked_minutes,
        _hours(wd.worked_minutes),
        overtime,
        night,
        holiday_work,
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
    overtime_daily: int = 0
    night: int = 0
    holiday_minutes: int = 0


def summary(work_days, week_days=None) -> tuple[list[str], list[list]]:
    """Per-person totals. Weekly figures come from ``week_days`` (the whole weeks ending in the
    month, selectors.weeks_around_export) when given, else from the month's own days."""
    limits = weekly_limits()
    calendar = get_calendar()
    people: dict[int, PersonTotals] = {}
    weeks: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    for wd in work_days:
        totals = people.setdefault(wd.employee_id, PersonTotals(wd.employee))
        totals.days += 1 if wd.first_in else 0
        totals.worked += wd.worked_minutes
        totals.missing += wd.state in (DayState.MISSING_CHECKOUT, DayState.MISSING_CHECKIN)
        totals.holiday_days += 1 if (wd.holiday_name and wd.worked_minutes) else 0
        totals.leave_days += 1 if wd.on_leave else 0
        overtime, night, holiday_work = premium_minutes(wd, calendar)
        totals.overtime_daily += overtime
        totals.night += night
        totals.holiday_minutes += holiday_work
        if week_days is None:
            weeks[wd.employee_id][wd.week_start] += wd.worked_minutes
    for wd in week_days or ():
        if wd.employee_id in people:
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
        _("Overtime beyond 8 h/day (min)"),
        _("Night work 22–06 (min)"),
        _("Holiday work (min)"),
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
                totals.overtime_daily,
                totals.night,
                totals.holiday_minutes,
            ]
        )
    return headers, rows


ENCODINGS = CSV_ENCODINGS


def to_csv(work_days, *, encoding: str = "utf-8") -> bytes:
    """UTF-8 with a BOM (today's Excel), or CP949 (older payroll tools that expect it)."""
    calendar = get_calendar()
    # Free text (a client-site place, a name) must not run as a formula in Excel (csv_bytes).
    return csv_bytes(day_headers(), (day_row(wd, calendar) for wd in work_days), encoding=encoding)


def to_xlsx(work_days, *, title: str, week_days=None) -> bytes:
    work_days = list(work_days)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Days")[:31]
    calendar = get_calendar()
    _fill(sheet, day_headers(), [day_row(wd, calendar, typed=True) for wd in work_days])
    for row in sheet.iter_rows(min_row=2):
        row[3].number_format = "yyyy-mm-dd"
        for cell in row[9:11]:
            cell.number_format = "yyyy-mm-dd hh:mm"
    headers, rows = summary(work_days, week_days)
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
