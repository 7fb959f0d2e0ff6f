"""How a person is named on every surface: portal pages, the API, the admin, audit and Slack."""

from .models import Employee


def display_name(person) -> str:
    """The name people know someone by, for a user or an employee ("" for nobody).

    One fallback chain everywhere: the employee's display name, then the account's full
    name, then its username. Only a login without an employee profile (a bare superuser, a
    service account) or a profile with a blank name reaches the fallbacks.
    """
    if person is None:
        return ""
    if isinstance(person, Employee):
        employee, user = person, None
    else:
        # A user without a profile raises RelatedObjectDoesNotExist, an AttributeError.
        employee, user = getattr(person, "employee", None), person
    if employee is not None and employee.display_name:
        return employee.display_name
    user = user or employee.user  # only read when the profile has no name
    return user.get_full_name() or user.get_username()
