"""Display rows for the ticket list, prepared in Python.

The template engine resolves every ``{{ a.b.c|filter }}`` through several layers; for 50
rows × a dozen cells that was most of the list page's CPU time. Labels, names, links and
dates are computed here once per row (translations once per page) and the template only
prints strings.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from erp.core.durations import relative_due
from erp.people.names import display_name

from .models import ACTIVE_STATUSES, SLAState, Status
from .selectors.permissions import can_handle
from .services.workflow import quick_next_statuses


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
    # (status, label) the row's status picker offers; empty when the viewer does not handle it.
    next_statuses: list
    status_picker_label: str


def _when(moment, fmt) -> tuple[str, str]:
    if moment is None:
        return "", ""
    local = timezone.localtime(moment)
    return local.isoformat(), local.strftime(fmt)


def row_labels() -> dict[str, str]:
    """What every row repeats, translated or reversed once (template context of the list and a row)."""
    return {
        "sensitive_label": _("Sensitive"),
        "unassigned_label": _("Unassigned"),
        "row_status_url": reverse("tickets:row-status"),
        "change_label": _("Change"),
    }


def handled_pks(user, tickets) -> set[int]:
    """Which of ``tickets`` ``user`` handles (may change their status). can_handle reads only
    the row's own columns and the user's cached employee record: no query per row."""
    return {ticket.pk for ticket in tickets if can_handle(user, ticket)}


def list_rows(tickets, handled: set[int] = frozenset()) -> list[ListRow]:
    """Rows for ``tickets`` (fetched with list_tickets' select_related: no extra queries);
    the rows in ``handled`` get a status picker."""
    status_labels = {value: str(label) for value, label in Status.choices}
    next_statuses = {
        value: [(status, status_labels[status]) for status in quick_next_statuses(value)] for value in Status.values
    }
    sla_labels = {value: str(label) for value, label in SLAState.choices}
    picker_label = _("New status of %(number)s")
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
                next_statuses=next_statuses.get(ticket.status, []) if ticket.pk in handled else [],
                status_picker_label=picker_label % {"number": ticket.number} if ticket.pk in handled else "",
            )
        )
    return rows
