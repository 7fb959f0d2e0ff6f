"""django-filter pieces shared by every module's FilterSets (UI lists, API, Slack search)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.fields import DateRangeField

from .bounds import MAX_ID, validate_sane_date
from .tags import tag_lookup


class IdFilter(django_filters.NumberFilter):
    """A primary key: a whole number the database can hold.

    NumberFilter alone takes decimals and unbounded numbers, and 10^23 then overflows the
    database binding (a 500); here it is a form error, which the list page shows and the
    API answers with a 400.
    """

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class AllYesNoSelect(forms.NullBooleanSelect):
    """전체 / 예 / 아니요 (korean.md §2a): a filter's empty choice means "all", not "unknown"."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("unknown", _("All")), ("true", _("yes")), ("false", _("no")))


class YesNoFilter(django_filters.BooleanFilter):
    """A yes/no filter whose empty choice reads 전체 (all)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", AllYesNoSelect)
        super().__init__(*args, **kwargs)


class SaneDateRangeField(DateRangeField):
    """A from–to date range whose ends must lie in erp.core.bounds (else a form error, not a 500)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields:
            field.validators.append(validate_sane_date)


class SaneDateRangeFilter(django_filters.DateFromToRangeFilter):
    """``<name>_after`` / ``<name>_before`` dates, each checked as SaneDateRangeField does."""

    field_class = SaneDateRangeField


class TagFilter(django_filters.CharFilter):
    """One tag of a ",a,b," tags column (erp.core.tags), matched whole: "vpn" does not find "vpn2"."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("field_name", "tags")
        kwargs.setdefault("max_length", 40)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        lookup = tag_lookup(value)
        return qs.filter(**{f"{self.field_name}__contains": lookup}) if lookup else qs
