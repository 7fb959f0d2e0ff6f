"""Human ticket numbers (INC-123, SR-45) and the priority matrix lookup.

Numbers come from one PostgreSQL sequence per ticket type (migration 0005): nextval() is
not transactional, so concurrent creations never wait for each other, and a creation
that rolls back leaves a gap in the numbering (INC-7 missing) — acceptable, documented.
On SQLite (a single writer anyway) the TicketCounter row is incremented under a lock.
"""

from django.db import connections, router
from django.db.models import BigIntegerField, Max
from django.db.models.functions import Cast, Substr

from ..models import NUMBER_PREFIX, Level, Priority, PriorityMatrix, Ticket, TicketCounter, TicketType

# Created by migration 0005 (keep in step: a new ticket type needs a migration adding its sequence).
NUMBER_SEQUENCES = {
    TicketType.INCIDENT: "tickets_number_incident_seq",
    TicketType.SERVICE_REQUEST: "tickets_number_service_request_seq",
}

# Used when an admin deleted a matrix cell; the same values the data migration seeds.
DEFAULT_MATRIX = {
    (Level.HIGH, Level.HIGH): Priority.P1,
    (Level.HIGH, Level.MEDIUM): Priority.P2,
    (Level.MEDIUM, Level.HIGH): Priority.P2,
    (Level.HIGH, Level.LOW): Priority.P3,
    (Level.MEDIUM, Level.MEDIUM): Priority.P3,
    (Level.LOW, Level.HIGH): Priority.P3,
    (Level.MEDIUM, Level.LOW): Priority.P4,
    (Level.LOW, Level.MEDIUM): Priority.P4,
    (Level.LOW, Level.LOW): Priority.P4,
}


def priority_for(impact: str, urgency: str) -> str:
    cell = PriorityMatrix.objects.filter(impact=impact, urgency=urgency).values_list("priority", flat=True).first()
    return cell or DEFAULT_MATRIX.get((impact, urgency), Priority.P3)


# The cell that stands for a priority when someone picks the priority itself (converting an
# inquiry): the matrix stays the one source of a ticket's priority.
PREFERRED_CELLS = {
    Priority.P1: (Level.HIGH, Level.HIGH),
    Priority.P2: (Level.HIGH, Level.MEDIUM),
    Priority.P3: (Level.MEDIUM, Level.MEDIUM),
    Priority.P4: (Level.LOW, Level.LOW),
}


def levels_for(priority: str) -> tuple[str, str]:
    """(impact, urgency) that the matrix turns into ``priority``: the preferred cell if the
    (admin-editable) matrix still says so, else the first cell that does."""
    preferred = PREFERRED_CELLS[priority]
    if priority_for(*preferred) == priority:
        return preferred
    for impact in Level.values:
        for urgency in Level.values:
            if priority_for(impact, urgency) == priority:
                return impact, urgency
    return preferred


def _connection():
    return connections[router.db_for_write(Ticket)]


def allocate_number(ticket_type: str) -> str:
    """Next number of a type (``ticket_type`` must be a TicketType value).

    PostgreSQL: ``nextval`` of the type's sequence — no lock is held, numbers are unique,
    and a rolled-back creation leaves a gap. SQLite: call inside a transaction; the counter
    row stays locked until commit (SQLite has one writer at a time anyway).
    """
    connection = _connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(%s)", [NUMBER_SEQUENCES[ticket_type]])
            (sequence_value,) = cursor.fetchone()
        return f"{NUMBER_PREFIX[ticket_type]}-{sequence_value}"
    counter, _created = TicketCounter.objects.select_for_update().get_or_create(ticket_type=ticket_type)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"{NUMBER_PREFIX[ticket_type]}-{counter.last_number}"


def sync_number_sequences() -> None:
    """Move every number source to just past the highest number in use.

    For bulk loads that insert tickets with their numbers directly (COPY, fixtures) and for
    test set-up: on PostgreSQL each sequence's next value becomes max + 1, on SQLite the
    counter row becomes max. Run it while no ticket is being created (a number allocated
    by an uncommitted creation could be handed out again). Safe to re-run.
    """
    connection = _connection()
    for ticket_type, prefix in NUMBER_PREFIX.items():
        highest = (
            Ticket.objects.filter(number__regex=rf"^{prefix}-[0-9]+$").aggregate(
                highest=Max(Cast(Substr("number", len(prefix) + 2), BigIntegerField()))
            )["highest"]
            or 0
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT setval(%s, %s, false)", [NUMBER_SEQUENCES[ticket_type], highest + 1])
        else:
            TicketCounter.objects.update_or_create(ticket_type=ticket_type, defaults={"last_number": highest})
