"""FilterSets shared by the API (and later Slack search) over attendance reads."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import DayState, Location, WorkDay


class WorkDayFilter(django_filters.FilterSet):
    """?employee=<id>&department=<id>&date_from=&date_to=&month=YYYY-MM&state=&location="""

    employee = django_filters.NumberFilter(field_name="employee_id", label=_("Employee"))
    department = django_filters.NumberFilter(field_name="employee__department_id", label=_("Department"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("From"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("To"))
    month = django_filters.CharFilter(method="filter_month", label=_("Month (YYYY-MM)"))
    state = django_filters.ChoiceFilter(choices=DayState.choices, label=_("State"))
    location = django_filters.ChoiceFilter(choices=Location.choices, label=_("Location"))

    class Meta:
        model = WorkDay
        fields = ["employee", "department", "date_from", "date_to", "month", "state", "location"]

    def filter_month(self, queryset, name, value):
        try:
            year, month = (int(part) for part in value.split("-", 1))
            if not 1 <= month <= 12:
                raise ValueError
        except ValueError:
            return queryset.none()
        return queryset.filter(date__year=year, date__month=month)
