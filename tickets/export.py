"""CSV export of a filtered ticket list, streamed so a large export never sits in memory."""

import csv

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from erp.core.spreadsheet import safe_cell

from .models import Level, Priority, SLAState, Status, TicketType
from .pagination import order_by_args, sort_fields

# Korean Excel opens UTF-8 CSV correctly only with a byte-order mark.
BOM = "\ufeff"


class _Echo:
    def write(self, value):
        return value


def _cell(value):
    if value is None:
        return ""
    if hasattr(value, "astimezone"):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    # A cell starting like a formula would run in Excel (CSV injection): make it text.
    return safe_cell(str(value))


def _columns():
    return [
        (_("Number"), "number", None),
        (_("Type"), "ticket_type", dict(TicketType.choices)),
        (_("Title"), "title", None),
        (_("Status"), "status", dict(Status.choices)),
        (_("Priority"), "priority", dict(Priority.choices)),
        (_("Impact"), "impact", dict(Level.choices)),
        (_("Urgency"), "urgency", dict(Level.choices)),
        (_("Group"), "group__name", None),
        (_("Category"), "category__name", None),
        (_("Requester"), "requester__employee__display_name", None),
        (_("Assignee"), "assignee__employee__display_name", None),
        (_("SLA state"), "sla_state", dict(SLAState.choices)),
        (_("First response due"), "first_response_due", None),
        (_("Resolution due"), "resolution_due", None),
        (_("Created at"), "created_at", None),
        (_("Updated at"), "updated_at", None),
        (_("Resolved at"), "resolved_at", None),
        (_("Closed at"), "closed_at", None),
        (_("Tags"), "tags", None),
    ]


def csv_rows(queryset, *, sort: str):
    columns = _columns()
    yield [str(label) for label, _field, _choices in columns]
    fields = [field for _label, field, _choices in columns]
    rows = queryset.order_by(*order_by_args(sort_fields(sort))).values_list(*fields)
    for row in rows.iterator(chunk_size=2000):
        out = []
        for (_label, field, choices), value in zip(columns, row, strict=True):
            if choices and value in choices:
                value = choices[value]
            elif field == "tags":
                value = " ".join(f"#{t}" for t in (value or "").split(",") if t)
            out.append(_cell(value))
        yield out


def csv_response(queryset, *, sort: str, filename: str | None = None) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def stream():
        yield BOM
        for row in csv_rows(queryset, sort=sort):
            yield writer.writerow(row)

    filename = filename or f"tickets-{timezone.localtime():%Y%m%d-%H%M}.csv"
    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
