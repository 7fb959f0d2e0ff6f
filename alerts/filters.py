"""The groups list filter, shared by the page and the API."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from erp.core.filters import IdFilter

from .models import AlertGroup, GroupState, Severity
from .selectors.search import GROUP_SOURCE


class GroupFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", widget=forms.TextInput(attrs={"type": "search"}))
    state = django_filters.ChoiceFilter(label=_("State"), choices=GroupState.choices)
    severity = django_filters.ChoiceFilter(label=_("Severity"), choices=Severity.choices)
    source = IdFilter(label=_("Source"), field_name="source_id")

    class Meta:
        model = AlertGroup
        fields = ["q", "state", "severity", "source"]

    def search(self, queryset, name, value):
        # The same Korean bigram planner as the history search (2-syllable words, words inside words).
        return queryset.filter(GROUP_SOURCE.text_search.q(value)) if value.strip() else queryset
