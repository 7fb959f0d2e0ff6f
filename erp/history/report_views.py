"""Report pages: the registered reports a person may see, their charts, tables and CSV."""

import csv

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from erp.core.spreadsheet import safe_cell

from .charts import render as render_chart
from .forms import ReportForm
from .models import RollupCursor
from .reports import get_report, reports_for


@login_required
@require_GET
def index(request):
    available = reports_for(request.user)
    if not available:
        raise PermissionDenied(_("You have no reports to see."))
    return render(request, "history/reports.html", {"reports": available})


@login_required
@require_GET
def report(request, key):
    definition = get_report(key)
    if definition is None:
        raise Http404(_("No such report."))
    if not definition.visible(request.user):
        raise PermissionDenied(_("You may not see this report."))
    form = ReportForm(request.GET)
    filters, chosen, bad_filter = _filters(definition, request)
    context = {"report": definition, "form": form, "reports": reports_for(request.user), "filters": filters}
    if not form.is_valid() or bad_filter:
        context["filter_error"] = bad_filter
        return render(request, "history/report.html", context, status=400)
    period = form.cleaned_data["period"]
    if definition.filters:
        data = definition.build(request.user, period, chosen)
    else:
        data = definition.build(request.user, period)
    export = form.cleaned_data["export"]
    if export:
        table = data.table(export)
        if table is None:
            raise Http404(_("No such table in this report."))
        return _csv(table, f"{definition.key}-{table.key}-{period.first:%Y%m%d}-{period.last:%Y%m%d}.csv")
    cursor = RollupCursor.objects.filter(rollup=definition.rollup).first()
    context.update(
        period=period,
        data=data,
        charts=[(chart, render_chart(chart)) for chart in data.charts],
        folded_at=cursor.folded_at if cursor else None,
        query=request.GET.urlencode(),
    )
    return render(request, "history/report.html", context)


def _filters(definition, request):
    """The report's drop-downs [(filter, choices, value)], the chosen values, and an error
    message when a value is not among the person's choices (a crafted URL: 400, never a 500)."""
    shown, chosen, error = [], {}, ""
    for one in definition.filters:
        choices = [(str(value), label) for value, label in one.choices(request.user)]
        value = request.GET.get(one.name, "")
        if value and value not in {v for v, _label in choices}:
            error = _("Choose one of the listed values for %(filter)s.") % {"filter": one.label}
            value = ""
        shown.append((one, choices, value))
        chosen[one.name] = value
    return shown, chosen, error


def _csv(table, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # Korean Excel reads UTF-8 only with the BOM
    writer = csv.writer(response)
    writer.writerow([str(column) for column in table.columns])
    for row in table.rows:
        writer.writerow([safe_cell("" if value is None else value) for value in row])
    return response
