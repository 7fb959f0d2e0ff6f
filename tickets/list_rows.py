"""Display rows for the ticket list, prepared in Python.

The template engine resolves every ``{{ a.b.c|filter }}`` through several layers; for 50
rows × a dozen cells that was most of the list page's CPU time. Labels, names, links and
dates are computed here once per row (translations once per page) and the template only
prints strings.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from erp.core.durations import relative_due
from erp.people.names import display_name

from .models import ACTIVE_STATUSES, SLAState, Status


@dataclass(slots=True)
class ListRow:
    pk: int
    number: str
    title: str
    url: str
    priority: str
    status: str
    status_label: str
    sla_state: str
    sla_label: str
    sensitive: bool
    group: str
    requester: str
    assignee: str
    due_iso: str
    due_text: str
    # "13분 남음" / "2시간 초과" for open tickets; empty once resolved or closed.
    due_relative: str
    overdue: bool
    created_iso: str
    created_text: str


def _when(moment, fmt) -> tuple[str, str]:
    if moment is None:
        return "", ""
    local = timezone.localtime(moment)
    return local.isoformat(), local.strftime(fmt)


def list_rows(tickets) -> list[ListRow]:
    """Rows for ``tickets`` (fetched with list_tickets' select_related: no extra queries)."""
    status_labels = {value: str(label) for value, label in Status.choices}
    sla_labels = {value: str(label) for value, label in SLAState.choices}
    # One reverse() per page; numbers only contain [A-Z0-9-], safe to splice in.
    url_pattern = reverse("tickets:detail", kwargs={"ref": "NUMBER"})
    rows = []
    now = timezone.now()
    for ticket in tickets:
        due_iso, due_text = _when(ticket.resolution_due, "%m-%d %H:%M")
        due_relative, overdue = "", False
        if ticket.resolution_due and ticket.status in ACTIVE_STATUSES:
            due_relative, overdue = relative_due(ticket.resolution_due, now)
        else:
            due_iso = due_text = ""
        # One format per table (korean.md §4): both times as month-day hour:minute.
        created_iso, created_text = _when(ticket.created_at, "%m-%d %H:%M")
        rows.append(
            ListRow(
                pk=ticket.pk,
                number=ticket.number,
                title=ticket.title,
                url=url_pattern.replace("NUMBER", ticket.number),
                priority=ticket.priority,
                status=ticket.status,
                status_label=status_labels.get(ticket.status, ticket.status),
                sla_state=ticket.sla_state,
                sla_label=sla_labels.get(ticket.sla_state, ticket.sla_state),
                sensitive=ticket.sensitive,
                group=ticket.group.name if ticket.group_id else "",
                requester=display_name(ticket.requester),
                assignee=display_name(ticket.assignee),
                due_iso=due_iso,
                due_text=due_text,
                due_relative=due_relative,
                overdue=overdue,
                created_iso=created_iso,
                created_text=created_text,
            )
        )
    return rows
