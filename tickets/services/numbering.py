"""Human ticket numbers (INC-123, SR-45) and the priority matrix lookup."""

from ..models import NUMBER_PREFIX, Level, Priority, PriorityMatrix, TicketCounter

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


def allocate_number(ticket_type: str) -> str:
    """Next number of a type. Call inside a transaction: the counter row stays locked until
    commit, so concurrent creations queue up and never share (or skip) a number."""
    counter, _created = TicketCounter.objects.select_for_update().get_or_create(ticket_type=ticket_type)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"{NUMBER_PREFIX[ticket_type]}-{counter.last_number}"
