"""Reads: who may see whom, and the figures of a day / week / month (also what a Slack DM shows).

``day_summary`` and ``week_summary`` are the one place the numbers of a check-in/out DM, the
status command, the home panel and the calendar come from, so they always agree.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Q, Sum
from django.utils import timezone

from erp.people.models import Employee
from erp.people.selectors import employee_of
from erp.workcalendar.calendar import KST, get_calendar

from .conf import break_rules, setting, weekly_limits
from .derivation import live_worked_minutes, week_start_of
from .models import Correction, DayState, WorkDay

MISSING_STATES = (DayState.MISSING_CHECKOUT, DayState.MISSING_CHECKIN)


# --- permissions ----------------------------------------------------------------------------
def is_attendance_admin(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    employee = employee_of(user)
    return user.is_superuser or bool(employee and employee.is_admin)


def visible_employees(user):
    """Employees whose attendance ``user`` may see: all (admin), reports + department (manager), self."""
    employees = Employee.objects.filter(user__is_active=True).select_related("department", "user")
    if is_attendance_admin(user):
        return employees
    me = employee_of(user)
    if me is None:
        return employees.none()
    if me.is_manager:
        scope = Q(pk=me.pk) | Q(manager=me)
        if me.department_id:
            scope |= Q(department_id=me.department_id)
        return employees.filter(scope)
    return employees.filter(pk=me.pk)


def can_view_employee(user, employee: Employee) -> bool:
    return visible_employees(user).filter(pk=employee.pk).exists()


def is_team_viewer(user) -> bool:
    """Managers and admins see the team view and the payroll export."""
    me = employee_of(user)
    return is_attendance_admin(user) or bool(me and me.is_manager)


def approvers_for(employee: Employee) -> list[Employee]:
    """Who decides the employee's corrections: their manager, else the department's managers, else admins."""
    if employee.manager_id and employee.manager.user.is_active:
        return [employee.manager]
    managers = []
    if employee.department_id:
        managers = list(
            Employee.objects.filter(department_id=employee.department_id, role="manager", user__is_active=True)
            .exclude(pk=employee.pk)
            .select_related("user")
        )
    if managers:
        return managers
    return list(
        Employee.objects.filter(Q(role="admin") | Q(user__is_superuser=True), user__is_active=True)
        .exclude(pk=employee.pk)
        .select_related("user")
    )


def can_decide_correction(user, correction: Correction) -> bool:
    """The employee's manager, a manager of their department, or an admin; never one's own request."""
    me = employee_of(user)
    if me is not None and me.pk == correction.employee_id:
        return False
    if is_attendance_admin(user):
        return True
    if me is None or not me.is_manager:
        return False
    employee = correction.employee
    return employee.manager_id == me.pk or (
        employee.department_id is not None and employee.department_id == me.department_id
    )


def corrections_to_decide(user):
    """Pending corrections ``user`` may decide, oldest first."""
    pending = Correction.objects.filter(status=Correction.Status.PENDING).select_related("employee__department")
    if is_attendance_admin(user):
        return pending.exclude(employee__user=user).order_by("created_at")
    me = employee_of(user)
    if me is None or not me.is_manager:
        return pending.none()
    scope = Q(employee__manager=me)
    if me.department_id:
        scope |= Q(employee__department_id=me.department_id)
    return pending.filter(scope).exclude(employee=me).order_by("created_at")


def corrections_of(employee: Employee):
    return Correction.objects.filter(employee=employee).select_related("decided_by").order_by("-created_at")


# --- figures ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class DaySummary:
    date: date
    state: str | None
    first_in: datetime | None
    last_out: datetime | None
    location: str
    place: str
    worked_minutes: int
    break_minutes: int
    holiday_name: str
    is_working_day: bool
    corrected: bool = False
    work_day: WorkDay | None = field(default=None, compare=False, repr=False)

    @property
    def is_open(self) -> bool:
        return self.state == DayState.WORKING

    @property
    def is_missing(self) -> bool:
        return self.state in MISSING_STATES


@dataclass(frozen=True)
class WeekSummary:
    week_start: date
    total_minutes: int
    standard_minutes: int
    warning_minutes: int
    cap_minutes: int
    days: list[DaySummary]

    @property
    def week_end(self) -> date:
        return self.week_start + timedelta(days=6)

    @property
    def remaining_minutes(self) -> int:
        """Minutes left before the 52-hour cap (0 when reached or over)."""
        return max(0, self.cap_minutes - self.total_minutes)

    @property
    def overtime_minutes(self) -> int:
        return max(0, self.total_minutes - self.standard_minutes)

    @property
    def percent_of_cap(self) -> int:
        return min(100, round(100 * self.total_minutes / self.cap_minutes)) if self.cap_minutes else 0

    @property
    def level(self) -> str:
        """ok / warning / over, for bars and badges."""
        if self.total_minutes > self.cap_minutes:
            return "over"
        return "warning" if self.total_minutes >= self.warning_minutes else "ok"


@dataclass(frozen=True)
class AttendanceStatus:
    """Everything the status command / home panel / check-in reply shows."""

    employee: Employee
    now: datetime
    today: DaySummary
    # The shift that is currently open (today's, or yesterday's before the cut-off), if any.
    open_day: DaySummary | None
    week: WeekSummary

    @property
    def is_checked_in(self) -> bool:
        return self.open_day is not None


def summarize(
    work_day: WorkDay | None, day: date, *, now: datetime, calendar=None, day_facts: tuple[str, bool] | None = None
) -> DaySummary:
    """A DaySummary from a WorkDay row (or its absence); open days count their minutes so far.

    ``day_facts`` = (holiday name, is working day) when the caller already knows them (team view).
    """
    if day_facts is None:
        calendar = calendar or get_calendar()
        day_facts = (calendar.holiday_name(day) or "", calendar.is_working_day(day))
    holiday, working_day = day_facts
    if work_day is None:
        state = DayState.HOLIDAY if holiday else None
        return DaySummary(day, state, None, None, "", "", 0, 0, holiday, working_day)
    worked, breaks = work_day.worked_minutes, work_day.break_minutes
    if work_day.state == DayState.WORKING and work_day.first_in:
        worked = live_worked_minutes(work_day.first_in, now, break_rules())
    return DaySummary(
        day,
        work_day.state,
        work_day.first_in,
        work_day.last_out,
        work_day.location,
        work_day.place,
        worked,
        breaks,
        holiday or work_day.holiday_name,
        working_day,
        work_day.is_corrected,
        work_day,
    )


def day_summary(employee: Employee, day: date, *, now: datetime | None = None) -> DaySummary:
    now = now or timezone.now()
    work_day = WorkDay.objects.filter(employee=employee, date=day).first()
    return summarize(work_day, day, now=now)


def _week(week_start: date, rows: dict[date, WorkDay], *, now: datetime, calendar) -> WeekSummary:
    limits = weekly_limits()
    days = [
        summarize(rows.get(week_start + timedelta(days=i)), week_start + timedelta(days=i), now=now, calendar=calendar)
        for i in range(7)
    ]
    return WeekSummary(
        week_start, sum(d.worked_minutes for d in days), limits.standard, limits.warning, limits.cap, days
    )


def week_summary(employee: Employee, week_start: date, *, now: datetime | None = None) -> WeekSummary:
    """The Mon–Sun week (KST) starting ``week_start`` (any date is moved to its Monday)."""
    now = now or timezone.now()
    week_start = week_start_of(week_start)
    rows = {
        wd.date: wd
        for wd in WorkDay.objects.filter(
            employee=employee, date__gte=week_start, date__lte=week_start + timedelta(days=6)
        )
    }
    return _week(week_start, rows, now=now, calendar=get_calendar())


def open_work_day(employee: Employee, now: datetime) -> WorkDay | None:
    """The shift currently open: today's, or yesterday's while before the cut-off hour."""
    today = now.astimezone(KST).date()
    candidates = [today]
    if now.astimezone(KST).hour < setting("ATTENDANCE_DAY_CUTOFF_HOUR"):
        candidates.append(today - timedelta(days=1))
    return (
        WorkDay.objects.filter(employee=employee, date__in=candidates, state=DayState.WORKING).order_by("-date").first()
    )


def attendance_status(employee: Employee, *, now: datetime | None = None) -> AttendanceStatus:
    """Today's and this week's figures for ``employee`` (no writes)."""
    now = now or timezone.now()
    today = now.astimezone(KST).date()
    open_row = open_work_day(employee, now)
    anchor = open_row.date if open_row else today
    week = week_summary(employee, anchor, now=now)
    today_summary = next(d for d in week.days if d.date == anchor)
    open_summary = today_summary if open_row else None
    return AttendanceStatus(employee, now, today_summary, open_summary, week)


# --- month calendar ----------------------------------------------------------------------------
@dataclass(frozen=True)
class MonthCalendar:
    year: int
    month: int
    weeks: list[WeekSummary]
    worked_minutes: int
    days_worked: int
    missing_days: int

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)


def month_bounds(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return first, following - timedelta(days=1)


def month_calendar(employee: Employee, year: int, month: int, *, now: datetime | None = None) -> MonthCalendar:
    """The month as Mon–Sun weeks; week totals include the days outside the month (one query)."""
    now = now or timezone.now()
    first, last = month_bounds(year, month)
    start, end = week_start_of(first), week_start_of(last) + timedelta(days=6)
    rows = {wd.date: wd for wd in WorkDay.objects.filter(employee=employee, date__gte=start, date__lte=end)}
    calendar = get_calendar()
    weeks = []
    cursor = start
    while cursor <= end:
        weeks.append(_week(cursor, rows, now=now, calendar=calendar))
        cursor += timedelta(days=7)
    in_month = [d for w in weeks for d in w.days if first <= d.date <= last]
    return MonthCalendar(
        year,
        month,
        weeks,
        worked_minutes=sum(d.worked_minutes for d in in_month),
        days_worked=sum(1 for d in in_month if d.first_in),
        missing_days=sum(1 for d in in_month if d.is_missing),
    )


# --- team view -----------------------------------------------------------------------------
@dataclass(frozen=True)
class TeamRow:
    employee: Employee
    today: DaySummary
    week_minutes: int
    month_minutes: int
    missing_days: int
    limits_cap: int
    limits_warning: int

    @property
    def percent_of_cap(self) -> int:
        return min(100, round(100 * self.week_minutes / self.limits_cap)) if self.limits_cap else 0

    @property
    def level(self) -> str:
        if self.week_minutes > self.limits_cap:
            return "over"
        return "warning" if self.week_minutes >= self.limits_warning else "ok"


def team_overview(user, day: date, *, department_id: int | None = None, now: datetime | None = None) -> list[TeamRow]:
    """Who is in on ``day``, their week's hours vs the cap and the month's missing punches.

    Four queries whatever the team size: employees, the day's rows, and two SQL aggregates.
    """
    now = now or timezone.now()
    employees = visible_employees(user)
    if department_id:
        employees = employees.filter(department_id=department_id)
    employees = list(employees.order_by("department__name", "display_name"))
    ids = [e.pk for e in employees]
    week_start = week_start_of(day)
    first, last = month_bounds(day.year, day.month)
    today_rows = {wd.employee_id: wd for wd in WorkDay.objects.filter(employee_id__in=ids, date=day)}
    week_rows = WorkDay.objects.filter(
        employee_id__in=ids, date__gte=week_start, date__lte=week_start + timedelta(days=6)
    ).values("employee_id")
    week_totals = {r["employee_id"]: r["total"] or 0 for r in week_rows.annotate(total=Sum("worked_minutes"))}
    month = (
        WorkDay.objects.filter(employee_id__in=ids, date__gte=first, date__lte=last)
        .values("employee_id")
        .annotate(total=Sum("worked_minutes"), missing=Count("id", filter=Q(state__in=MISSING_STATES)))
    )
    month_totals = {r["employee_id"]: (r["total"] or 0, r["missing"]) for r in month}
    calendar = get_calendar()
    day_facts = (calendar.holiday_name(day) or "", calendar.is_working_day(day))
    limits = weekly_limits()
    rows = []
    for employee in employees:
        today = summarize(today_rows.get(employee.pk), day, now=now, day_facts=day_facts)
        # The open day's live minutes count toward the week, like in the person's own view.
        live_extra = today.worked_minutes if today.is_open else 0
        month_minutes, missing = month_totals.get(employee.pk, (0, 0))
        rows.append(
            TeamRow(
                employee,
                today,
                week_totals.get(employee.pk, 0) + live_extra,
                month_minutes + live_extra,
                missing,
                limits.cap,
                limits.warning,
            )
        )
    return rows


def work_days_visible(user):
    """Work days of everyone ``user`` may see (the API list; filter with WorkDayFilter)."""
    return WorkDay.objects.filter(employee__in=visible_employees(user)).select_related("employee__department")


def working_elsewhere(day: date, *, department_id: int | None = None) -> list[WorkDay]:
    """Who checked in remote or at a client site on ``day`` (for a morning team post; no times)."""
    rows = WorkDay.objects.filter(date=day, location__in=("remote", "client")).exclude(first_in=None)
    if department_id:
        rows = rows.filter(employee__department_id=department_id)
    return list(rows.select_related("employee__department").order_by("location", "employee__display_name"))


def work_days_for_export(user, year: int, month: int, *, department_id: int | None = None):
    """The month's work days of everyone ``user`` may see, for the payroll export."""
    first, last = month_bounds(year, month)
    employees = visible_employees(user)
    if department_id:
        employees = employees.filter(department_id=department_id)
    return (
        WorkDay.objects.filter(employee__in=employees, date__gte=first, date__lte=last)
        .select_related("employee__department")
        .order_by("employee__department__name", "employee__display_name", "employee_id", "date")
    )
