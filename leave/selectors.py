"""Reads of leave: who may see and decide what, balances, and who is away on a day.

``on_leave(employees, day)`` is the one question other modules ask (ticket round robin, the
attendance morning post, the team and month views): it reads approved requests only.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from erp.people.models import Employee
from erp.people.roles import is_module_admin
from erp.people.selectors import company_admins, employee_of
from erp.workcalendar.calendar import KST

from . import accrual
from .models import DayPart, LeaveAdjustment, LeavePolicy, LeaveProfile, LeaveRequest
from .presence import presence

OPEN = (LeaveRequest.Status.PENDING, LeaveRequest.Status.APPROVED)
NOON = time(13, 0)  # a morning half day ends with lunch; the afternoon starts at 13:00


# --- permissions --------------------------------------------------------------------------------


def is_leave_admin(user) -> bool:
    return is_module_admin(user, "leave")


def _managed_scope(me: Employee, prefix: str = "") -> Q:
    scope = Q(**{f"{prefix}manager": me})
    if me.department_id:
        scope |= Q(**{f"{prefix}department_id": me.department_id})
    return scope


def visible_requests(user) -> QuerySet:
    """Requests ``user`` may open: their own; a manager's reports and department; all (admin)."""
    requests = LeaveRequest.objects.select_related("employee__department", "leave_type", "decided_by")
    if is_leave_admin(user):
        return requests
    me = employee_of(user)
    if me is None:
        return requests.none()
    scope = Q(employee=me) | Q(requested_by=user)
    if me.is_manager:
        scope |= _managed_scope(me, "employee__")
    return requests.filter(scope)


def is_own_request(user, leave: LeaveRequest) -> bool:
    """The person on leave or whoever asked on their behalf: never the one who decides it."""
    if getattr(user, "pk", None) is None:
        return False
    return leave.requested_by_id == user.pk or leave.employee.user_id == user.pk


def can_decide(user, leave: LeaveRequest) -> bool:
    """The employee's manager, a manager of their department, or a leave admin; never the
    person on leave nor whoever requested it (four-eyes rule, as for corrections)."""
    if is_own_request(user, leave):
        return False
    if is_leave_admin(user):
        return True
    me = employee_of(user)
    if me is None or not me.is_manager:
        return False
    employee = leave.employee
    return employee.manager_id == me.pk or (
        employee.department_id is not None and employee.department_id == me.department_id
    )


def to_decide(user) -> QuerySet:
    """Pending requests ``user`` may decide, the earliest leave first."""
    pending = visible_requests(user).filter(status=LeaveRequest.Status.PENDING)
    pending = pending.exclude(employee__user=user).exclude(requested_by=user)
    if is_leave_admin(user):
        return pending.order_by("start_date", "pk")
    me = employee_of(user)
    if me is None or not me.is_manager:
        return pending.none()
    return pending.filter(_managed_scope(me, "employee__")).order_by("start_date", "pk")


def approvers_for(employee: Employee, *, requested_by=None) -> list[Employee]:
    """Who is asked: the manager, else the department's managers, else the company admins —
    never the person on leave nor whoever requested it."""
    requester_id = getattr(requested_by, "pk", None)
    manager = employee.manager if employee.manager_id else None
    if manager is not None and manager.user.is_active and manager.user_id != requester_id:
        return [manager]
    if employee.department_id:
        managers = list(
            Employee.objects.filter(department_id=employee.department_id, role="manager", user__is_active=True)
            .exclude(pk=employee.pk)
            .exclude(user_id=requester_id)
            .select_related("user")
        )
        if managers:
            return managers
    return list(company_admins().exclude(pk=employee.pk).exclude(user_id=requester_id).select_related("user"))


def calendar_people(user) -> QuerySet:
    """Whose leave the team calendar shows: a manager's reports and department, everyone for an
    admin, otherwise one's own department (colleagues plan around each other's days off)."""
    people = Employee.objects.filter(user__is_active=True).select_related("department")
    if is_leave_admin(user):
        return people
    me = employee_of(user)
    if me is None:
        return people.none()
    scope = Q(pk=me.pk)
    if me.department_id:
        scope |= Q(department_id=me.department_id)
    if me.is_manager:
        scope |= Q(manager=me)
    return people.filter(scope)


def sees_leave_types(user, employee: Employee) -> bool:
    """Which kind of leave (병가, 경조사 …) is private: the person, their approvers and admins."""
    if getattr(user, "pk", None) == employee.user_id or is_leave_admin(user):
        return True
    me = employee_of(user)
    return bool(
        me
        and me.is_manager
        and (employee.manager_id == me.pk or (employee.department_id and employee.department_id == me.department_id))
    )


# --- who is away ----------------------------------------------------------------------------------


def _ids(employees) -> list[int]:
    return [getattr(e, "pk", e) for e in employees]


def approved_between(employees, first: date, last: date) -> QuerySet:
    return LeaveRequest.objects.filter(
        employee_id__in=_ids(employees),
        status=LeaveRequest.Status.APPROVED,
        start_date__lte=last,
        end_date__gte=first,
    ).select_related("leave_type")


def covers(leave: LeaveRequest, moment: datetime) -> bool:
    """Whether an approved request keeps its person away at ``moment`` (KST half days)."""
    local = moment.astimezone(KST)
    if not leave.start_date <= local.date() <= leave.end_date:
        return False
    if leave.part == DayPart.AM:
        return local.time() < NOON
    if leave.part == DayPart.PM:
        return local.time() >= NOON
    return True


def on_leave(employees, day: date, *, at: datetime | None = None) -> set[int]:
    """Ids of ``employees`` (Employees or ids) away on ``day`` by approved leave: a full day, or
    when ``at`` is given also the half day covering that moment. One query."""
    leaves = approved_between(employees, day, day)
    if at is None:
        return {leave.employee_id for leave in leaves if leave.part == DayPart.FULL}
    return {leave.employee_id for leave in leaves if covers(leave, at)}


@dataclass(frozen=True)
class LeaveDay:
    """One person's approved leave on one day, as the calendars show it."""

    employee_id: int
    day: date
    label: str  # the type's name, or "휴가" for readers who may not see the type
    part: str
    request_id: int

    @property
    def is_full_day(self) -> bool:
        return self.part == DayPart.FULL


def leave_days(
    employees, first: date, last: date, *, user=None, calendar=None
) -> dict[tuple[int, date], list[LeaveDay]]:
    """{(employee id, day): [LeaveDay]} for approved leave between ``first`` and ``last``,
    working days only (a week-long leave does not cover its weekend). ``user`` hides the kind
    of leave from readers who may not see it."""
    from django.utils.translation import gettext as _

    from erp.workcalendar.calendar import get_calendar

    calendar = calendar or get_calendar()
    people = {e.pk: e for e in employees if hasattr(e, "pk")}
    out: dict[tuple[int, date], list[LeaveDay]] = defaultdict(list)
    for leave in approved_between(employees, first, last):
        person = people.get(leave.employee_id) or leave.employee
        label = leave.leave_type.label if user is None or sees_leave_types(user, person) else _("Leave")
        day = max(first, leave.start_date)
        while day <= min(last, leave.end_date):
            if calendar.is_working_day(day):
                out[(leave.employee_id, day)].append(LeaveDay(leave.employee_id, day, label, leave.part, leave.pk))
            day = date.fromordinal(day.toordinal() + 1)
    return dict(out)


# --- balance ----------------------------------------------------------------------------------------


def current_policy() -> accrual.Policy:
    row = LeavePolicy.objects.order_by("pk").first()
    if row is None:
        return accrual.Policy()
    return accrual.Policy(row.basis, row.fiscal_year_start_month, row.fixed_days)


@dataclass(frozen=True)
class Balance:
    """One person's annual leave in the leave year containing ``on``."""

    known: bool  # False without a hire date: nothing can be computed
    period_start: date | None = None
    period_end: date | None = None  # exclusive
    granted: Decimal = Decimal(0)
    adjusted: Decimal = Decimal(0)
    used: Decimal = Decimal(0)
    pending: Decimal = Decimal(0)
    upcoming: Decimal = Decimal(0)
    first_year: bool = False
    # The year whose attendance decided this grant (80 % rule), when it was computed, and
    # whether an admin's override replaced the computation.
    attendance: accrual.YearAttendance | None = None
    attendance_overridden: bool = False

    @property
    def remaining(self) -> Decimal:
        return self.granted + self.adjusted - self.used

    @property
    def available(self) -> Decimal:
        """What a new request may still take: the remaining days minus those already asked for."""
        return self.remaining - self.pending

    @property
    def last_day(self) -> date | None:
        return date.fromordinal(self.period_end.toordinal() - 1) if self.period_end else None


def attended_days(employee: Employee, first: date, last: date) -> set[date] | None:
    """Days in [first, last] counted as attended for the 80 % rule: at work by the attendance
    ledger, or on approved leave of a kind that counts as attended (a half day too: the
    person was away with leave, not absent). None when the ledger does not cover the span."""
    present = presence(employee.pk, first, last)
    if present is None:
        return None
    days = set(present)
    for leave in approved_between([employee], first, last).filter(leave_type__counts_as_attended=True):
        day = max(first, leave.start_date)
        while day <= min(last, leave.end_date):
            days.add(day)
            day += timedelta(days=1)
    return days


def year_attendance(employee: Employee, start: date, end: date, calendar=None) -> accrual.YearAttendance | None:
    """The person's attendance over [start, end), or None when the ledger does not cover it."""
    from erp.workcalendar.calendar import get_calendar

    attended = attended_days(employee, start, end - timedelta(days=1))
    if attended is None:
        return None
    calendar = calendar or get_calendar()
    return accrual.year_attendance(start, end, is_working_day=calendar.is_working_day, attended=attended)


def short_years_for(employee: Employee, profile: LeaveProfile, on: date, policy: accrual.Policy):
    """(short_years for the accrual, the attendance that decided, overridden?): the admin's
    override of a year wins; otherwise the year before the leave year of ``on`` is computed
    from the attendance ledger (under 80 %: the months fully worked, 제60조②)."""
    overrides = dict(profile.short_years or {})
    year = accrual.evaluated_year(profile.hire_date, on, policy)
    if year is None:
        return overrides, None, False
    key, start, end = year
    if key in overrides or str(key) in overrides:
        return overrides, None, True
    record = year_attendance(employee, start, end)
    if record is not None and not record.meets_threshold:
        overrides[key] = record.full_months
    return overrides, record, False


def balance(employee: Employee, on: date | None = None, *, exclude_request: int | None = None) -> Balance:
    on = on or timezone.localdate()
    profile = LeaveProfile.objects.filter(employee=employee).first()
    if profile is None:
        return Balance(known=False)
    policy = current_policy()
    short_years, attendance, overridden = short_years_for(employee, profile, on, policy)
    granted = accrual.entitlement(profile.hire_date, on, policy, short_years)
    start, end = granted.period_start, granted.period_end
    requests = LeaveRequest.objects.filter(
        employee=employee, leave_type__deducts_annual=True, start_date__gte=start, start_date__lt=end
    )
    if exclude_request:
        requests = requests.exclude(pk=exclude_request)
    sums = requests.aggregate(
        used=Sum("days", filter=Q(status=LeaveRequest.Status.APPROVED)),
        pending=Sum("days", filter=Q(status=LeaveRequest.Status.PENDING)),
    )
    adjusted = LeaveAdjustment.objects.filter(
        employee=employee, effective_date__gte=start, effective_date__lt=end
    ).aggregate(total=Sum("days"))["total"]
    return Balance(
        known=True,
        period_start=start,
        period_end=end,
        granted=granted.granted,
        adjusted=adjusted or Decimal(0),
        used=sums["used"] or Decimal(0),
        pending=sums["pending"] or Decimal(0),
        upcoming=granted.upcoming,
        first_year=granted.first_year,
        attendance=attendance,
        attendance_overridden=overridden,
    )


def my_requests(employee: Employee) -> QuerySet:
    return LeaveRequest.objects.filter(employee=employee).select_related("leave_type", "decided_by")
