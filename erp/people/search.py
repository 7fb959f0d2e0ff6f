"""People in the history search: found by name, job title, employee number or department.

Every signed-in colleague may find a colleague (the directory is not a secret), but a mobile
number is personal data: only company admins find a person by its last four digits.
"""

import re

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from erp.core.search import SearchSource, TextSearch, clean_text

from .models import Employee
from .roles import is_company_admin
from .selectors import employee_of

PEOPLE_TEXT = TextSearch(Employee, ("display_name", "title", "employee_no", "department__name"))
LAST_FOUR_DIGITS = re.compile(r"^\d{4}$")


def visible_people(user):
    """Active colleagues, for anyone who works here (an employee profile or a company admin)."""
    if employee_of(user) is None and not is_company_admin(user):
        return Employee.objects.none()
    return Employee.objects.filter(user__is_active=True)


def people_q(user, text: str) -> Q:
    text = clean_text(text)
    matches = PEOPLE_TEXT.q(text)
    if LAST_FOUR_DIGITS.match(text) and is_company_admin(user):
        matches |= Q(phone__endswith=text)
    return matches


def _summary(employee: Employee) -> str:
    return " · ".join(part for part in (employee.title, str(employee.department or "")) if part)


PEOPLE_SOURCE = SearchSource(
    key="people",
    label=_("People"),
    model=Employee,
    fields=PEOPLE_TEXT.fields,
    for_user=visible_people,
    matches=people_q,
    title=lambda employee: employee.display_name,
    summary=_summary,
    url=lambda employee: reverse("history:person", args=[employee.pk]),
    date_field=None,
    select_related=("department",),
    person_fields=("pk",),
    order=90,
)
