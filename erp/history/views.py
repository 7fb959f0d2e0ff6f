"""The history search page, its CSV export, saved searches and the person card."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from erp.core.search import search_source, search_sources
from erp.core.spreadsheet import safe_cell
from erp.people.models import Employee
from erp.people.roles import is_company_admin
from erp.people.search import visible_people
from erp.people.selectors import employee_of

from . import engine
from .access import works_here
from .forms import SEARCH_PARAMS, SavedSearchForm, SearchForm
from .highlight import highlight, snippet
from .models import SavedSearch

MAX_EXPORT_ROWS = 10_000


def _require_colleague(user):
    if not works_here(user):
        raise PermissionDenied(_("The history search is for people who work here."))


def _querystring(params: QueryDict, **changes) -> str:
    query = params.copy()
    for name, value in changes.items():
        query.pop(name, None)
        if value is not None:
            query.setlist(name, value if isinstance(value, list) else [value])
    return query.urlencode()


def saved_searches_for(employee):
    if employee is None:
        return SavedSearch.objects.none()
    shared = Q(shared_with=employee.department) if employee.department_id else Q(pk__in=[])
    return SavedSearch.objects.filter(Q(owner=employee) | shared).select_related("owner", "shared_with")


def _shown(hit, needles):
    body = hit.source.body(hit.obj) if hit.source.body else hit.summary
    return {
        "hit": hit,
        "title": highlight(hit.title, needles),
        "snippet": highlight(snippet(body, needles), needles),
    }


def _page_context(request, form):
    employee = employee_of(request.user)
    statuses = [
        (source.label, source.model._meta.get_field(source.status_field).flatchoices)
        for source in search_sources()
        if source.status_field
    ]
    saved = list(saved_searches_for(employee))
    for item in saved:
        item.querystring = QueryDict(mutable=True)
        for name, values in item.params.items():
            item.querystring.setlist(name, values)
        item.querystring = item.querystring.urlencode()
    return {
        "form": form,
        "sources": search_sources(),
        "statuses": statuses,
        "people": Employee.objects.filter(user__is_active=True).only("pk", "display_name"),
        "saved_searches": saved,
        "employee": employee,
        "current_query": _querystring(request.GET, cursor=None),
    }


@login_required
@require_GET
def search(request):
    _require_colleague(request.user)
    form = SearchForm(request.GET or None)
    context = _page_context(request, form)
    if not request.GET:
        return render(request, "history/search.html", context)
    if not form.is_valid():
        return render(request, "history/search.html", context, status=400)
    query = form.search_request()
    needles = query.needles
    context["searched"] = bool(query.words)
    if not query.words:
        return render(request, "history/search.html", context)
    if len(query.keys) == 1:
        source = search_source(query.keys[0])
        try:
            result, count = engine.page(request.user, source, query, cursor=form.cleaned_data["cursor"] or None)
        except engine.BadCursor:
            context["cursor_error"] = True
            return render(request, "history/search.html", context, status=400)
        context.update(
            single=source,
            hits=[_shown(hit, needles) for hit in result.items],
            count=count,
            next_query=_querystring(request.GET, cursor=result.next_cursor) if result.next_cursor else None,
            prev_query=_querystring(request.GET, cursor=result.prev_cursor) if result.prev_cursor else None,
            export_query=_querystring(request.GET, cursor=None),
        )
    else:
        context["groups"] = [
            {
                "source": group.source,
                "count": group.count,
                "hits": [_shown(hit, needles) for hit in group.hits],
                "more_query": _querystring(request.GET, module=group.source.key, cursor=None),
            }
            for group in engine.overview(request.user, query)
        ]
    return render(request, "history/search.html", context)


@login_required
@require_GET
def export_csv(request):
    """One module's hits as CSV (UTF-8 with BOM, so Korean Excel opens it), at most MAX_EXPORT_ROWS rows."""
    _require_colleague(request.user)
    form = SearchForm(request.GET)
    if not form.is_valid():
        return HttpResponse(" ".join(m for errors in form.errors.values() for m in errors), status=400)
    query = form.search_request()
    if len(query.keys) != 1 or not query.words:
        return HttpResponse(_("Choose one module and a search text to export."), status=400)
    source = search_source(query.keys[0])
    records = engine.in_order(engine.matching(source, request.user, query), source, query)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="search-{source.key}-{stamp}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    extra = source.csv_columns
    writer.writerow([_("Title"), _("Summary"), _("Date"), _("Status"), _("Link"), *(str(label) for label, _f in extra)])
    for obj in records[:MAX_EXPORT_ROWS]:
        hit = source.hit(obj)
        when = timezone.localtime(hit.when).strftime("%Y-%m-%d %H:%M") if hit.when else ""
        status = getattr(obj, f"get_{source.status_field}_display")() if source.status_field else ""
        row = [hit.title, hit.summary, when, status, request.build_absolute_uri(hit.url)]
        writer.writerow([safe_cell(value) for value in row + [value(obj) for _label, value in extra]])
    return response


@login_required
@require_POST
def save_search(request):
    employee = employee_of(request.user)
    if employee is None:
        raise PermissionDenied(_("Only employees can save searches."))
    form = SavedSearchForm(request.POST)
    params = QueryDict(request.POST.get("query", ""))
    search_form = SearchForm(params)
    if not form.is_valid() or not search_form.is_valid() or not search_form.cleaned_data["q"]:
        messages.error(request, _("The search could not be saved: give it a name and search for something first."))
        return redirect(f"{_search_url()}?{params.urlencode()}")
    kept = {name: params.getlist(name) for name in SEARCH_PARAMS if params.getlist(name)}
    SavedSearch.objects.create(
        owner=employee,
        name=form.cleaned_data["name"],
        params=kept,
        shared_with=employee.department if form.cleaned_data["share"] else None,
    )
    messages.success(request, _("The search was saved."))
    return redirect(f"{_search_url()}?{params.urlencode()}")


@login_required
@require_POST
def delete_saved_search(request, pk):
    saved = get_object_or_404(SavedSearch, pk=pk, owner__user=request.user)
    saved.delete()
    messages.success(request, _("The saved search was deleted."))
    return redirect("history:search")


@login_required
@require_GET
def person(request, pk):
    _require_colleague(request.user)
    employee = get_object_or_404(visible_people(request.user).select_related("department", "manager"), pk=pk)
    return render(
        request,
        "history/person.html",
        {"person": employee, "show_phone": is_company_admin(request.user)},
    )


def _search_url():
    return reverse("history:search")
