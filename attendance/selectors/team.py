"""Team-level reads: the manager's team view, the payroll export rows, who works elsewhere."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Q, Sum
from django.utils import timezone

from erp.people.models import Employee
from erp.workcalendar.calendar import get_calendar

from ..conf import weekly_limits
from ..derivation import week_start_of
from ..models import WorkDay
from .access import visible_employees
from .figures import MISSING_STATES, DaySummary, month_bounds, summarize


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
    # Only what the page shows: loading full user rows for hundreds of people was measurable.
    employees = list(
        employees.select_related(None)
        .select_related("department")
        .only("id", "display_name", "employee_no", "department__name", "manager_id")
        .order_by("department__name", "display_name")
    )
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


def weeks_around_export(user, year: int, month: int, *, department_id: int | None = None):
    """The work days of the Mon–Sun weeks that END in the month (some start in the month before),
    so weekly overtime is computed over whole weeks and each week counted in exactly one month."""
    from datetime import timedelta

    first, last = month_bounds(year, month)
    first_sunday = first + timedelta(days=6 - first.weekday())
    last_sunday = last - timedelta(days=(last.weekday() + 1) % 7)
    employees = visible_employees(user)
    if department_id:
        employees = employees.filter(department_id=department_id)
    return WorkDay.objects.filter(
        employee__in=employees, date__gte=first_sunday - timedelta(days=6), date__lte=last_sunday
    ).only("employee_id", "week_start", "worked_minutes")
