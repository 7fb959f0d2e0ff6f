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

from django.db.models import BooleanField, DurationField, ExpressionWrapper, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.utils.translation import gettext_lazy as _

from erp.history.rollups import Cell, CellSQL, ChangeFeed, Rollup, sql_in, sql_minutes
from erp.workcalendar.calendar import KST

from .models import ACTIVE_STATUSES, Priority, SatisfactionRating, Ticket
from .signals import ticket_sla_breached


def _kst_date(expression):
    return TruncDate(expression, tzinfo=KST)


def _since_filing(expression):
    return ExpressionWrapper(expression - F("created_at"), output_field=DurationField())


def _minutes(duration) -> float:
    # Not rounded: the SQL twin below must give the very same float (MTTA/MTTR are averages).
    return max(duration.total_seconds(), 0) / 60


def priority_number(priority: str) -> int:
    return int(priority[1:]) if priority[1:].isdigit() else 0


def ticket_records():
    """Plain rows, days and durations computed by the database: a fold reads 100,000 of these
    in a few seconds, where model instances and aware datetimes would cost several times more."""
    latest = SatisfactionRating.objects.filter(ticket=OuterRef("pk")).order_by("-updated_at", "-pk")
    done_at = Coalesce("resolved_at", "closed_at")
    return Ticket.objects.annotate(
        filed=_kst_date("created_at"),
        done_day=_kst_date(done_at),
        done_after=_since_filing(done_at),
        responded_day=_kst_date("first_responded_at"),
        responded_after=_since_filing(F("first_responded_at")),
        response_due_day=_kst_date("first_response_due"),
        has_response_due=ExpressionWrapper(Q(first_response_due__isnull=False), output_field=BooleanField()),
        has_resolution_due=ExpressionWrapper(Q(resolution_due__isnull=False), output_field=BooleanField()),
        rated_score=Subquery(latest.values("score")[:1]),
        rated_day=Subquery(latest.annotate(day=_kst_date("updated_at")).values("day")[:1]),
    ).values(
        "id", "group_id", "assignee_id", "requester_id", "category_id", "priority", "status", "filed", "done_day",
        "done_after", "responded_day", "responded_after", "response_due_day", "has_response_due",
        "first_response_breached", "has_resolution_due", "resolution_breached", "rated_score", "rated_day",
    )  # fmt: skip


def ticket_cells(row: dict) -> list[Cell]:
    group, agent = row["group_id"] or 0, row["assignee_id"] or 0
    filed, priority = row["filed"], priority_number(row["priority"])
    cells = [
        Cell("created", filed, group, agent, priority),
        Cell("requests", filed, group, row["requester_id"] or 0, row["category_id"] or 0),
    ]
    active = row["status"] in ACTIVE_STATUSES
    if active:
        cells.append(Cell("open", filed, group, agent, priority))
    elif row["done_day"]:
        cells.append(Cell("resolved", row["done_day"], group, agent, value=_minutes(row["done_after"])))
    if row["responded_day"]:
        minutes = _minutes(row["responded_after"])
        cells.append(Cell("first_response", row["responded_day"], group, agent, value=minutes))
    if row["has_response_due"] and (row["responded_day"] or row["first_response_breached"]):
        met = 0 if row["first_response_breached"] else 1
        day = row["responded_day"] or row["response_due_day"]
        cells.append(Cell("sla_first_response", day, group, agent, value=met))
    if row["has_resolution_due"] and row["done_day"] and not active:
        met = 0 if row["resolution_breached"] else 1
        cells.append(Cell("sla_resolution", row["done_day"], group, agent, value=met))
    if row["rated_score"]:
        score = row["rated_score"]
        cells.append(Cell("csat", row["rated_day"], group, agent, score, value=score))
    return cells


# ticket_cells in SQL, over ticket_records' columns (PostgreSQL's fold; tests/history checks they agree).
_ACTIVE = sql_in("status", ACTIVE_STATUSES)
_GROUP, _AGENT = "coalesce(group_id, 0)", "coalesce(assignee_id, 0)"
# priority_number: the choices by value (cheap), anything else by its digits.
_PRIORITY = "CASE {} WHEN substr(priority, 2) ~ '^[0-9]+$' THEN substr(priority, 2)::bigint ELSE 0 END".format(
    " ".join(f"WHEN priority = '{choice}' THEN {priority_number(choice)}" for choice in Priority)
)


TICKET_CELLS_SQL = (
    CellSQL("created", "filed", _GROUP, _AGENT, _PRIORITY),
    CellSQL("requests", "filed", _GROUP, "coalesce(requester_id, 0)", "coalesce(category_id, 0)"),
    CellSQL("open", "filed", _GROUP, _AGENT, _PRIORITY, when=_ACTIVE),
    CellSQL("resolved", "done_day", _GROUP, _AGENT, value=sql_minutes("done_after"),
            when=f"NOT {_ACTIVE} AND done_day IS NOT NULL"),
    CellSQL("first_response", "responded_day", _GROUP, _AGENT, value=sql_minutes("responded_after"),
            when="responded_day IS NOT NULL"),
    CellSQL("sla_first_response", "coalesce(responded_day, response_due_day)", _GROUP, _AGENT,
            value="CASE WHEN first_response_breached THEN 0 ELSE 1 END",
            when="has_response_due AND (responded_day IS NOT NULL OR first_response_breached)"),
    CellSQL("sla_resolution", "done_day", _GROUP, _AGENT, value="CASE WHEN resolution_breached THEN 0 ELSE 1 END",
            when=f"has_resolution_due AND done_day IS NOT NULL AND NOT {_ACTIVE}"),
    CellSQL("csat", "rated_day", _GROUP, _AGENT, "rated_score", value="rated_score",
            when="coalesce(rated_score, 0) <> 0"),
)  # fmt: skip

TICKET_ROLLUP = Rollup(
    key="tickets",
    label=_("IT tickets"),
    records=ticket_records,
    contribute=ticket_cells,
    cells_sql=TICKET_CELLS_SQL,
    feeds=(ChangeFeed(Ticket, "updated_at"), ChangeFeed(SatisfactionRating, "updated_at", "ticket_id")),
    # The SLA sweep flags a breach with a plain UPDATE that leaves updated_at alone.
    signals=((ticket_sla_breached, lambda ticket, **_: [ticket.pk]),),
)
