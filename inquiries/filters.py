"""The ONE inquiry FilterSet: the list page and the CSV export use it.

Pass the acting user (``InquiryFilter(data, queryset=visible_inquiries(user), user=user)``):
the free-text ``q`` matches internal notes only for the sales team.
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from erp.core.filters import IdFilter, SaneDateRangeFilter, TagFilter, YesNoFilter

from .models import Category, Inquiry, InquirySource, Status
from .selectors.search import text_q


class InquiryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q", max_length=100)
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=Status.choices, distinct=False)
    category = django_filters.ChoiceFilter(label=_("Category"), choices=Category.choices)
    source = django_filters.ChoiceFilter(label=_("Source"), choices=InquirySource.choices)
    assignee = IdFilter(label=_("Assignee (user id)"), field_name="assignee_id")
    unassigned = YesNoFilter(label=_("Unassigned"), field_name="assignee", lookup_expr="isnull")
    tag = TagFilter(label=_("Tag"))
    received = SaneDateRangeFilter(label=_("Received"), field_name="received_at")
    duplicates = YesNoFilter(label=pgettext_lazy("filter", "Repeats"), method="filter_duplicates")
    shared = YesNoFilter(label=_("Shared with marketing"), field_name="shared_with_marketing")

    class Meta:
        model = Inquiry
        fields = []

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(text_q(self.user, value)) if value else queryset

    def filter_duplicates(self, queryset, name, value):
        """Yes: repeats of an earlier inquiry or marked duplicate; no: neither."""
        repeat = Q(duplicate_of__isnull=False) | Q(status=Status.DUPLICATE)
        return queryset.filter(repeat) if value else queryset.exclude(repeat)
