from datetime import date, datetime, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from erp.core.bounds import EARLIEST_DATE, LATEST_DATE, MAX_ID
from erp.workcalendar.calendar import KST

from .models import Location
from .services.corrections import REASON_MAX
from .services.punches import PLACE_MAX_LENGTH

# The range of days the pages and the API accept. Far outside it the KST ↔ UTC conversions
# overflow (year 1, year 9999) and nobody keeps attendance there anyway.
FIRST_DAY, LAST_DAY = EARLIEST_DATE, LATEST_DATE
FIRST_YEAR, LAST_YEAR = FIRST_DAY.year, LAST_DAY.year
# The largest primary key the databases hold (bigint); larger numbers overflow the drivers.
ID_MAX = MAX_ID


class BadQuery(ValueError):
    """A query-string value a page cannot use; the views answer 400 with this message."""


class CheckInForm(forms.Form):
    location = forms.ChoiceField(label=_("Where"), choices=Location.choices, initial=Location.OFFICE)
    place = forms.CharField(
        label=_("Place"),
        required=False,
        max_length=PLACE_MAX_LENGTH,
        help_text=_("Required for a client site, e.g. the client's name and city."),
    )

    def clean(self):
        data = super().clean()
        if data.get("location") == Location.CLIENT and not (data.get("place") or "").strip():
            self.add_error("place", _("Say which client site you are at."))
        return data


class CorrectionForm(forms.Form):
    date = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    check_in = forms.TimeField(label=_("Check-in"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    check_out = forms.TimeField(label=_("Check-out"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    out_next_day = forms.BooleanField(label=_("The check-out was after midnight (next day)"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("You cannot correct a day in the future."))
        if day < FIRST_DAY:
            raise forms.ValidationError(_("Choose a day from %(first)s on.") % {"first": FIRST_DAY.isoformat()})
        return day

    def clean(self):
        data = super().clean()
        day = data.get("date")
        if not day:
            return data
        if not data.get("check_in") and not data.get("check_out"):
            raise forms.ValidationError(_("Give a check-in time, a check-out time, or both."))
        data["proposed_in"] = datetime.combine(day, data["check_in"], KST) if data.get("check_in") else None
        out_day = day + timedelta(days=1) if data.get("out_next_day") else day
        data["proposed_out"] = datetime.combine(out_day, data["check_out"], KST) if data.get("check_out") else None
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    note = forms.CharField(label=_("Note"), required=False, max_length=REASON_MAX)


def parse_month(value: str | None, default: date) -> tuple[int, int]:
    """'2026-11' → (2026, 11); anything else → the default's month."""
    try:
        year, month = (int(part) for part in (value or "").split("-", 1))
        if FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    return default.year, default.month


def parse_day(value: str | None, default: date) -> date:
    """'2026-11-20' → date; empty → ``default``; anything else or outside FIRST_DAY..LAST_DAY → BadQuery."""
    if not value:
        return default
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise BadQuery(_("Use a date like 2026-11-20.")) from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise BadQuery(
            _("Choose a date between %(first)s and %(last)s.")
            % {"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()}
        )
    return day


def parse_id(value: str | None) -> int | None:
    """A primary key from the query string: empty → None; not a whole number in 1..ID_MAX → BadQuery."""
    if not value:
        return None
    try:
        number = int(value)
    except ValueError:
        raise BadQuery(_("An id must be a whole number.")) from None
    if not 1 <= number <= ID_MAX:
        raise BadQuery(_("There is no such id."))
    return number


def default_times(summary) -> dict:
    """Initial form values from a day's current times (KST)."""
    initial = {}
    if summary.first_in:
        initial["check_in"] = summary.first_in.astimezone(KST).time().replace(second=0, microsecond=0)
    if summary.last_out:
        local = summary.last_out.astimezone(KST)
        initial["check_out"] = local.time().replace(second=0, microsecond=0)
        initial["out_next_day"] = local.date() > summary.date
    return initial


__all__ = [
    "FIRST_DAY",
    "ID_MAX",
    "LAST_DAY",
    "BadQuery",
    "CheckInForm",
    "CorrectionForm",
    "DecisionForm",
    "default_times",
    "parse_day",
    "parse_id",
    "parse_month",
]
