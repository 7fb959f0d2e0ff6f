from datetime import date, datetime, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from erp.workcalendar.calendar import KST

from .models import Location
from .services.corrections import REASON_MAX
from .services.punches import PLACE_MAX_LENGTH


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
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    return default.year, default.month


def parse_day(value: str | None, default: date) -> date:
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        return default


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


__all__ = ["CheckInForm", "CorrectionForm", "DecisionForm", "default_times", "parse_day", "parse_month"]
