"""Reads: who may see whom, and the figures of a day / week / month (also what a Slack DM shows).

``day_summary`` and ``week_summary`` are the one place the numbers of a check-in/out DM, the
status command, the home panel and the calendar come from, so they always agree.
"""

from .access import (
    SELF_REQUESTED_MESSAGE,
    approvers_for,
    can_decide_correction,
    can_view_correction,
    can_view_employee,
    corrections_of,
    corrections_to_decide,
    is_attendance_admin,
    is_own_request,
    is_team_viewer,
    visible_corrections,
    visible_employees,
)
from .figures import (
    MISSING_STATES,
    AttendanceStatus,
    DaySummary,
    MonthCalendar,
    WeekSummary,
    attendance_status,
    day_summary,
    month_bounds,
    month_calendar,
    on_break_since,
    open_work_day,
    punches_around,
    summarize,
    week_summary,
)
from .team import (
    TeamRow,
    team_overview,
    weeks_around_export,
    work_days_for_export,
    work_days_visible,
    working_elsewhere,
)

__all__ = [
    "MISSING_STATES",
    "SELF_REQUESTED_MESSAGE",
    "AttendanceStatus",
    "DaySummary",
    "MonthCalendar",
    "TeamRow",
    "WeekSummary",
    "approvers_for",
    "attendance_status",
    "can_decide_correction",
    "can_view_correction",
    "can_view_employee",
    "corrections_of",
    "corrections_to_decide",
    "day_summary",
    "is_attendance_admin",
    "is_own_request",
    "is_team_viewer",
    "month_bounds",
    "month_calendar",
    "on_break_since",
    "open_work_day",
    "punches_around",
    "summarize",
    "team_overview",
    "visible_corrections",
    "visible_employees",
    "week_summary",
    "work_days_for_export",
    "weeks_around_export",
    "work_days_visible",
    "working_elsewhere",
]
