"""django-filter pieces shared by every module's FilterSets (UI lists, API, Slack search)."""

import django_filters
from django import forms

from .bounds import MAX_ID


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
