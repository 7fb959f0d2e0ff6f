from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from erp.core.bounds import EARLIEST_DATE, LATEST_DATE, validate_sane_date

from .models import DayPart, LeaveType
from .services import REASON_MAX


class LeaveRequestForm(forms.Form):
    leave_type = forms.ModelChoiceField(label=_("Kind of leave"), queryset=LeaveType.objects.none())
    start_date = forms.DateField(
        label=_("First day"), validators=[validate_sane_date], widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(
        label=_("Last day"),
        required=False,
        validators=[validate_sane_date],
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for a single day."),
    )
    part = forms.ChoiceField(
        label=_("Part of the day"),
        choices=[("", "—"), (DayPart.AM, _("Morning")), (DayPart.PM, _("Afternoon"))],
        required=False,
        help_text=_("Only for a quarter day you may take in the morning or the afternoon."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leave_type"].queryset = LeaveType.objects.filter(is_active=True)
        self.fields["leave_type"].label_from_instance = lambda t: t.label


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    note = forms.CharField(required=False, max_length=REASON_MAX)


def parse_month(value: str | None, default: date) -> tuple[int, int]:
    """'2026-11' → (2026, 11); anything else → the default's month."""
    try:
        year, month = (int(part) for part in (value or "").split("-", 1))
        if EARLIEST_DATE.year <= year <= LATEST_DATE.year and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    return default.year, default.month
