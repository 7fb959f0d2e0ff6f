"""The search page's parameters, validated: anything odd is a form error (400), never a 500."""

from datetime import datetime, time, timedelta

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from erp.core.bounds import MAX_ID, validate_sane_date
from erp.core.search import search_sources
from erp.workcalendar.calendar import KST

from .engine import SearchRequest
from .reports import MAX_PERIOD_DAYS, Period
from .terms import MAX_QUERY_CHARS, MAX_WORDS, parse_words

RANGES = {"1d": 1, "7d": 7, "30d": 30, "90d": 90, "365d": 365}
RANGE_CHOICES = [
    ("", _("Any time")),
    ("1d", _("Today")),
    ("7d", _("Last 7 days")),
    ("30d", _("Last 30 days")),
    ("90d", _("Last 90 days")),
    ("365d", _("Last year")),
    ("custom", _("Custom dates")),
]
ORDER_CHOICES = [("newest", _("Newest first")), ("best", _("Best match"))]
# The parameters a saved search keeps (the cursor is a position, not part of the search).
SEARCH_PARAMS = ("q", "module", "range", "start", "end", "person", "status", "order")


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=MAX_QUERY_CHARS, required=False, strip=True)
    module = forms.MultipleChoiceField(label=_("Module"), required=False)
    range = forms.ChoiceField(label=_("Period"), choices=RANGE_CHOICES, required=False)
    start = forms.DateField(label=pgettext_lazy("date range", "From"), required=False, validators=[validate_sane_date])
    end = forms.DateField(label=pgettext_lazy("date range", "To"), required=False, validators=[validate_sane_date])
    person = forms.IntegerField(label=_("Person"), required=False, min_value=1, validators=[MaxValueValidator(MAX_ID)])
    status = forms.CharField(label=_("Status"), max_length=40, required=False)
    order = forms.ChoiceField(label=_("Order"), choices=ORDER_CHOICES, required=False)
    cursor = forms.CharField(max_length=600, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].choices = [(s.key, s.label) for s in search_sources()]

    def clean_q(self):
        text = self.cleaned_data["q"].replace("\x00", "")
        if len(text.split()) > MAX_WORDS:
            raise forms.ValidationError(
                _("Search for at most %(count)d words at a time."), params={"count": MAX_WORDS}, code="too_many_words"
            )
        return text

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("The end date comes before the start date."))
        return data

    def search_request(self, now=None) -> SearchRequest:
        data = self.cleaned_data
        start, end = self._period(now or timezone.now())
        return SearchRequest(
            words=parse_words(data["q"]),
            keys=list(data["module"]),
            start=start,
            end=end,
            person=data["person"],
            status=data["status"],
            best_match=data["order"] == "best",
        )

    def _period(self, now):
        """[start, end) at KST midnights: a preset counts back from today, custom dates are inclusive."""
        data = self.cleaned_data
        preset = data["range"]
        today = timezone.localtime(now, KST).date()
        if preset in RANGES:
            first, last = today - timedelta(days=RANGES[preset] - 1), today
        elif preset == "custom" or data["start"] or data["end"]:
            first, last = data["start"], data["end"]
        else:
            return None, None
        start = datetime.combine(first, time.min, KST) if first else None
        end = datetime.combine(last + timedelta(days=1), time.min, KST) if last else None
        return start, end


class SavedSearchForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    share = forms.BooleanField(label=_("Share with my department"), required=False)


class ReportForm(forms.Form):
    """A report's period: inclusive KST dates and the bucket; at most MAX_PERIOD_DAYS long."""

    start = forms.DateField(label=pgettext_lazy("date range", "From"), required=False, validators=[validate_sane_date])
    end = forms.DateField(label=pgettext_lazy("date range", "To"), required=False, validators=[validate_sane_date])
    bucket = forms.ChoiceField(
        label=_("By"),
        required=False,
        choices=[("day", _("Day")), ("week", _("Week")), ("month", _("Month"))],
    )
    export = forms.SlugField(max_length=40, required=False)

    DEFAULT_DAYS = 30

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        today = timezone.localdate()
        end = data.get("end") or today
        start = data.get("start") or end - timedelta(days=self.DEFAULT_DAYS - 1)
        if start > end:
            self.add_error("end", _("The end date comes before the start date."))
        elif (end - start).days + 1 > MAX_PERIOD_DAYS:
            self.add_error(
                "start",
                forms.ValidationError(
                    _("A report covers at most %(days)d days."), params={"days": MAX_PERIOD_DAYS}, code="too_long"
                ),
            )
        data["period"] = Period(start, end, data.get("bucket") or "day")
        return data
