"""Who may see whose attendance and who decides corrections."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from erp.people.models import Employee
from erp.people.roles import is_module_admin
from erp.people.selectors import company_admins, employee_of

from ..models import Correction


def is_attendance_admin(user) -> bool:
    return is_module_admin(user, "attendance")


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


# The four-eyes rule: whoever asked for a correction never decides it, not even a manager or an
# admin asking on someone's behalf — otherwise one person could rewrite anyone's hours alone.
SELF_REQUESTED_MESSAGE = _(
    "You requested this correction yourself; another approver (an admin or another manager) must decide it."
)


def approvers_for(employee: Employee, *, requested_by=None) -> list[Employee]:
    """Who decides the employee's corrections: their manager, else the department's managers, else
    admins — never the employee nor ``requested_by`` (a user; the four-eyes rule)."""
    requester_id = getattr(requested_by, "pk", None)
    manager = employee.manager if employee.manager_id else None
    if manager is not None and manager.user.is_active and manager.user_id != requester_id:
        return [manager]
    managers = []
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


def is_own_request(user, correction: Correction) -> bool:
    """True when ``user`` asked for ``correction``: they must not decide it, and only they may
    withdraw it (a correction a manager asked for on someone's behalf is the manager's to withdraw)."""
    return getattr(user, "pk", None) is not None and correction.requested_by_id == user.pk


def can_decide_correction(user, correction: Correction) -> bool:
    """The employee's manager, a manager of their department, or an admin; never the person
    concerned and never whoever requested it (four-eyes rule)."""
    me = employee_of(user)
    if me is not None and me.pk == correction.employee_id:
        return False
    if is_own_request(user, correction):
        return False
    if is_attendance_admin(user):
        return True
    if me is None or not me.is_manager:
        return False
    employee = correction.employee
    return employee.manager_id == me.pk or (
        employee.department_id is not None and employee.department_id == me.department_id
    )


def can_view_correction(user, correction: Correction) -> bool:
    """Who may open a correction: the person it concerns, whoever may decide it, and whoever
    may see that person's attendance (a manager of the department, an admin)."""
    if getattr(user, "pk", None) is not None and correction.employee.user_id == user.pk:
        return True
    return can_decide_correction(user, correction) or can_view_employee(user, correction.employee)


def corrections_to_decide(user):
    """Pending corrections ``user`` may decide, oldest first."""
    pending = Correction.objects.filter(status=Correction.Status.PENDING).select_related("employee__department")
    if is_attendance_admin(user):
        return pending.exclude(employee__user=user).exclude(requested_by=user).order_by("created_at")
    me = employee_of(user)
    if me is None or not me.is_manager:
        return pending.none()
    scope = Q(employee__manager=me)
    if me.department_id:
        scope |= Q(employee__department_id=me.department_id)
    return pending.filter(scope).exclude(employee=me).exclude(requested_by=user).order_by("created_at")


def visible_corrections(user):
    """Corrections ``user`` may open (what the correction detail page allows): their own,
    and for a manager those of their reports and department; for an admin all of them."""
    corrections = Correction.objects.select_related("employee")
    if is_attendance_admin(user):
        return corrections
    me = employee_of(user) if getattr(user, "is_authenticated", False) else None
    if me is None:
        return corrections.none()
    scope = Q(employee=me)
    if me.is_manager:
        scope |= Q(employee__manager=me)
        if me.department_id:
            scope |= Q(employee__department_id=me.department_id)
    return corrections.filter(scope)


def corrections_of(employee: Employee):
    return Correction.objects.filter(employee=employee).select_related("decided_by").order_by("-created_at")
