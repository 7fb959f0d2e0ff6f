from django import forms
from django.utils.translation import gettext_lazy as _

from .importing.fields import FIELDS
from .models import Campaign, Goods

# A batch is sent one coupon at a time within Giftishow's rate: this many is hours of sending.
MAX_BATCH_PHONES = 5000


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File (CSV or XLSX)"))
    client = forms.CharField(
        label=_("Client"), required=False, max_length=100, help_text=_("For files without a client column.")
    )


class MappingForm(forms.Form):
    """One select per import field: which column of the file holds it (or none)."""

    def __init__(self, *args, header: list[str], initial_mapping: dict, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— not in the file —")), *((str(i), name or f"#{i + 1}") for i, name in enumerate(header))]
        for field in FIELDS:
            initial = initial_mapping.get(field.key)
            self.fields[field.key] = forms.ChoiceField(
                label=field.label, choices=choices, required=False, initial="" if initial is None else str(initial)
            )

    def mapping(self) -> dict[str, int]:
        return {key: int(value) for key, value in self.cleaned_data.items() if value != ""}


class SendBatchForm(forms.Form):
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.select_related("client"))
    goods = forms.ModelChoiceField(label=_("Goods"), queryset=Goods.objects.all())
    phones = forms.CharField(
        label=_("Recipient phones"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One mobile number a line, e.g. 010-1234-5678."),
    )

    def clean_phones(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["phones"].splitlines() if line.strip()]
        if len(lines) > MAX_BATCH_PHONES:
            raise forms.ValidationError(
                _("At most %(limit)d numbers a batch; split the list.") % {"limit": MAX_BATCH_PHONES}
            )
        return lines
