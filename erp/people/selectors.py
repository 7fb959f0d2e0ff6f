from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from erp.core.prepared import PreparedQuery

from .models import AGENT_ROLES, Employee, Role


def employee_of(user) -> Employee | None:
    """The employee profile of a signed-in user, or None (e.g. a bare superuser)."""
    if user is None or not user.is_authenticated:
        return None
    try:
        return user.employee
    except Employee.DoesNotExist:
        return None


def employee_by_slack_id(slack_user_id: str) -> Employee | None:
    """The active employee behind a Slack user id: every Slack request starts with this lookup.

    Permission checks need only ``department_id``; the department itself loads on use.
    """
    # slack_user_id is unique: get() reads it without first()'s ORDER BY on Meta.ordering.
    # Prepared: compiling this join cost twice what running it does (erp.core.prepared).
    if not slack_user_id:  # no id names nobody (and "" must not match unlinked rows)
        return None
    try:
        return _EMPLOYEE_BY_SLACK_ID.get(str(slack_user_id))
    except Employee.DoesNotExist:
        return None


_EMPLOYEE_BY_SLACK_ID = PreparedQuery(
    lambda slack_user_id: Employee.objects.select_related("user").filter(
        slack_user_id=slack_user_id, user__is_active=True
    ),
    str,
)


def agent_users() -> QuerySet:
    """Active users with an agent-level role, by name: the people an assignee picker offers.

    The query form of erp.people.roles.is_agent, minus superusers without an agent role
    (a service account must not show up as someone to hand tickets to).
    """
    return (
        get_user_model()
        .objects.filter(is_active=True, employee__role__in=AGENT_ROLES)
        .select_related("employee")
        .order_by("employee__display_name")
    )


def company_admins() -> QuerySet:
    """Active employees who are company admins (erp.people.roles.is_company_admin, as a query)."""
    return Employee.objects.filter(Q(role=Role.ADMIN) | Q(user__is_superuser=True), user__is_active=True)
