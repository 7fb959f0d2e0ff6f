from .models import Employee


def employee_of(user) -> Employee | None:
    """The employee profile of a signed-in user, or None (e.g. a bare superuser)."""
    if user is None or not user.is_authenticated:
        return None
    try:
        return user.employee
    except Employee.DoesNotExist:
        return None


def employee_by_slack_id(slack_user_id: str) -> Employee | None:
    return (
        Employee.objects.select_related("user", "department")
        .filter(slack_user_id=slack_user_id, user__is_active=True)
        .first()
    )
