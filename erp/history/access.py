"""Who may use the history pages at all; what each person finds is decided by each source."""

from erp.people.roles import is_company_admin
from erp.people.selectors import employee_of


def works_here(user) -> bool:
    return employee_of(user) is not None or is_company_admin(user)
