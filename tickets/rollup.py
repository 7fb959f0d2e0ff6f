"""What each ticket contributes to the ticket reports (erp.history rollups), by KST day.

Cells (scope = the ticket's group, person = its assignee, 0 when none):
- ``created`` on the day it was filed (``extra`` = priority number: 1 for P1 …);
- ``resolved`` on the day it was resolved or closed, value = minutes from filing (→ MTTR);
- ``first_response`` on the day of the first reply, value = minutes from filing (→ MTTA);
- ``sla_first_response`` / ``sla_resolution`` when the target was met or missed, value 1 if met;
- ``open`` on its filing day while it is still open (→ backlog and backlog age);
- ``csat`` on the day of its latest rating, ``extra`` = the score, value = the score;
- ``requests`` on its filing day with person = the requester and extra = the category
  (→ repeat issues by category and requester).

The feed is ``Ticket.updated_at`` (indexed) plus ``SatisfactionRating.updated_at`` (a rating
does not touch the ticket), and ``ticket_sla_breached`` (the sweep's UPDATE keeps updated_at).
Figures only: no title or text ever enters a rollup.
"""

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from erp.history.rollups import Cell, ChangeFeed, Rollup
from erp.workcalendar.calendar import KST

from .models import ACTIVE_STATUSES, SatisfactionRating, Ticket
from .signals import ticket_sla_breached

FIELDS = (
    "group_id", "assignee_id", "requester_id", "category_id", "priority", "status", "created_at",
    "resolved_at", "closed_at", "first_responded_at", "first_response_due", "first_response_breached",
    "resolution_due", "resolution_breached",
)  # fmt: skip


def _day(moment):
    return timezone.localtime(moment, KST).date()


def _minutes(start, end) -> float:
    return round(max((end - start).total_seconds(), 0) / 60, 1)


def priority_number(priority: str) -> int:
    return int(priority[1:]) if priority[1:].isdigit() else 0


def ticket_records():
    ratings = SatisfactionRating.objects.only("ticket_id", "score", "updated_at").order_by("-updated_at", "-pk")
    return Ticket.objects.only(*FIELDS).prefetch_related(Prefetch("ratings", queryset=ratings, to_attr="rated"))


def ticket_cells(ticket: Ticket) -> list[Cell]:
    group, agent = ticket.group_id or 0, ticket.assignee_id or 0
    filed = _day(ticket.created_at)
    cells = [
        Cell("created", filed, group, agent, priority_number(ticket.priority)),
        Cell("requests", filed, group, ticket.requester_id or 0, ticket.category_id or 0),
    ]
    done_at = ticket.resolved_at or ticket.closed_at
    if ticket.status in ACTIVE_STATUSES:
        cells.append(Cell("open", filed, group, agent, priority_number(ticket.priority)))
    elif done_at:
        cells.append(Cell("resolved", _day(done_at), group, agent, value=_minutes(ticket.created_at, done_at)))
    if ticket.first_responded_at:
        minutes = _minutes(ticket.created_at, ticket.first_responded_at)
        cells.append(Cell("first_response", _day(ticket.first_responded_at), group, agent, value=minutes))
    if ticket.first_response_due and (ticket.first_responded_at or ticket.first_response_breached):
        when = ticket.first_responded_at or ticket.first_response_due
        met = 0 if ticket.first_response_breached else 1
        cells.append(Cell("sla_first_response", _day(when), group, agent, value=met))
    if ticket.resolution_due and done_at and ticket.status not in ACTIVE_STATUSES:
        met = 0 if ticket.resolution_breached else 1
        cells.append(Cell("sla_resolution", _day(done_at), group, agent, value=met))
    rated = getattr(ticket, "rated", None)
    if rated:
        score = rated[0].score
        cells.append(Cell("csat", _day(rated[0].updated_at), group, agent, score, value=score))
    return cells


TICKET_ROLLUP = Rollup(
    key="tickets",
    label=_("IT tickets"),
    records=ticket_records,
    contribute=ticket_cells,
    feeds=(ChangeFeed(Ticket, "updated_at"), ChangeFeed(SatisfactionRating, "updated_at", "ticket_id")),
    # The SLA sweep flags a breach with a plain UPDATE that leaves updated_at alone.
    signals=((ticket_sla_breached, lambda ticket, **_: [ticket.pk]),),
)
