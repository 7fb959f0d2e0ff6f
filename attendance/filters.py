"""FilterSets shared by the API (and later Slack search) over attendance reads.

Every parameter is validated by its form field, so a malformed value (``month=abc``, an id of
10^23) makes DjangoFilterBackend answer 400 with a message instead of an empty list or a 500.
"""

import re

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from erp.core.filters import IdFilter

from .forms import FIRST_YEAR, LAST_YEAR
from .models import DayState, Location, WorkDay

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class MonthField(forms.CharField):
    """'YYYY-MM' within the supported years → (year, month)."""

    default_error_messages = {
        "invalid": _("Use YYYY-MM, e.g. 2026-11, with a year between %(first)d and %(last)d.")
        % {"first": FIRST_YEAR, "last": LAST_YEAR}
    }

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        match = _MONTH.match(value)
        if not match:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        year, month = int(match[1]), int(match[2])
        if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return year, month


class MonthFilter(django_filters.CharFilter):
    """?month=YYYY-MM (a string in the schema; the field turns it into (year, month))."""

    field_class = MonthField


class WorkDayFilter(django_filters.FilterSet):
    """?employee=<id>&department=<id>&date_from=&date_to=&month=YYYY-MM&state=&location="""

    employee = IdFilter(field_name="employee_id", label=_("Employee"))
    department = IdFilter(field_name="employee__department_id", label=_("Department"))
    date_from = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label=pgettext_lazy("date range", "From")
    )
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=pgettext_lazy("date range", "To"))
    month = MonthFilter(method="filter_month", label=_("Month (YYYY-MM)"))
    state = django_filters.ChoiceFilter(choices=DayState.choices, label=_("State"))
    location = django_filters.ChoiceFilter(choices=Location.choices, label=_("Location"))

    class Meta:
        model = WorkDay
        fields = ["employee", "department", "date_from", "date_to", "month", "state", "location"]

    def filter_month(self, queryset, name, value):
        year, month = value  # MonthField's (year, month)
        return queryset.filter(date__year=year, date__month=month)
