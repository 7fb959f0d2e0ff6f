"""Attendance in the history search: correction requests, found by their reason or decision note."""

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from erp.core.search import SearchSource

from ..models import Correction
from .access import visible_corrections


def _title(correction: Correction) -> str:
    return gettext("%(name)s · correction for %(date)s (%(status)s)") % {
        "name": correction.employee.display_name,
        "date": f"{correction.date:%Y-%m-%d}",
        "status": correction.get_status_display(),
    }


def _summary(correction: Correction) -> str:
    return Truncator(correction.reason).chars(160)


def _url(correction: Correction) -> str:
    return reverse("attendance:correction-detail", args=[correction.pk])


# Punches are not a source: their only text is the device's place ("본사 1층 로비"), shared by
# thousands of rows, so a hit there would tell nobody anything.
CORRECTION_SOURCE = SearchSource(
    key="attendance_corrections",
    label=_("Attendance corrections"),
    model=Correction,
    fields=("reason", "decision_note"),
    for_user=visible_corrections,
    title=_title,
    summary=_summary,
    url=_url,
    date_field="created_at",
    order=20,
    select_related=("employee",),
    person_fields=("employee",),
    status_field="status",
    body=lambda correction: f"{correction.reason}\n{correction.decision_note}",
)
