"""Pages for marketing (and sales): the export of shared inquiries and the report."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .exports import SHARED_HEADER, csv_response, shared_row
from .filters import InquiryFilter
from .models import Category, InquirySource, Status
from .selectors import can_handle, inquiry_report, sees_inquiries, visible_inquiries

EXPORT_LIMIT = 50_000
WEEK_CHOICES = (
    (4, gettext_lazy("4 weeks")),
    (12, gettext_lazy("12 weeks")),
    (26, gettext_lazy("26 weeks")),
    (52, gettext_lazy("52 weeks")),
)


def _require_reader(request):
    if not sees_inquiries(request.user):
        raise PermissionDenied(_("Customer inquiries are for the sales and marketing teams."))


@login_required
def shared_export(request):
    """CSV of the inquiries shared with marketing (the list's filters apply), for sales and marketing."""
    _require_reader(request)
    shared = visible_inquiries(request.user).filter(shared_with_marketing=True).exclude(status=Status.SPAM)
    filterset = InquiryFilter(request.GET, queryset=shared, user=request.user)
    if not filterset.is_valid():
        messages.error(request, _("Fix the filters before exporting."))
        return redirect("inquiries:list")
    rows = filterset.qs.order_by("-received_at", "-id")[:EXPORT_LIMIT]
    return csv_response("inquiries-shared", SHARED_HEADER, (shared_row(i) for i in rows.iterator(chunk_size=2000)))


class ReportForm(forms.Form):
    weeks = forms.TypedChoiceField(label=gettext_lazy("Period"), choices=WEEK_CHOICES, coerce=int, required=False)


def _labelled(counts: dict, choices) -> list[tuple[str, int]]:
    labels = dict(choices)
    return [(labels.get(code, code), n) for code, n in sorted(counts.items(), key=lambda item: -item[1])]


@login_required
def report(request):
    """Counts by week, source, category and status, and the conversion rate (no personal data)."""
    _require_reader(request)
    form = ReportForm(request.GET or None)
    weeks = (form.cleaned_data.get("weeks") if form.is_valid() else None) or 12
    figures = inquiry_report(request.user, today=timezone.localdate(), weeks=weeks)
    context = {
        "form": form,
        "report": figures,
        "by_source": _labelled(figures.by_source, InquirySource.choices),
        "by_category": _labelled(figures.by_category, Category.choices),
        "by_status": _labelled(figures.by_status, Status.choices),
        "can_handle": can_handle(request.user),
    }
    return render(request, "inquiries/inquiry_report.html", context)
