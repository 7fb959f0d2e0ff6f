"""Role predicates: who is an agent, who administers a module. Every app asks these.

Roles live on ``erp.people.Employee.role`` (staff < agent < manager < admin); a superuser
counts as an admin even without an employee profile. What a role may do *with a record*
(which tickets an agent handles, whose attendance a manager sees) stays in that app's
selectors; this module only answers "what is this person".
"""

from django.apps import apps

from .selectors import employee_of


def is_company_admin(user) -> bool:
    """A superuser or an employee with the admin role: administers every module."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    employee = employee_of(user)
    return bool(employee and employee.is_admin)


def is_module_admin(user, module: str) -> bool:
    """Admin rights in one module, named by its app label ("tickets", "attendance").

    Company admins administer every module. A module that wants admins of its own (say an
    office manager for meeting rooms) sets ``module_admin_permission = "<app>.<codename>"``
    on its AppConfig, declared in its models' ``Meta.permissions``; holders of that Django
    permission are then its admins too. Neither tickets nor attendance declares one, so
    their admins are exactly the company admins and no permission query runs.
    An unknown label raises LookupError: a misspelt module fails loudly instead of
    quietly granting nothing.
    """
    permission = getattr(apps.get_app_config(module), "module_admin_permission", None)
    if is_company_admin(user):
        return True
    return bool(permission and user is not None and user.is_authenticated and user.has_perm(permission))


def is_agent(user) -> bool:
    """Agent-level rights: the agent, manager or admin role, or a superuser.

    Agents handle IT tickets and may file them for others; which tickets an agent handles
    (their group, sensitivity) is decided in tickets.selectors.
    """
    if is_company_admin(user):
        return True
    employee = employee_of(user)
    return bool(employee and employee.is_agent)
