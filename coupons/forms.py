from django import forms
from django.utils.translation import gettext_lazy as _

from .importing.fields import FIELDS


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
