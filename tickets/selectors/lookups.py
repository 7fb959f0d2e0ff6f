"""Finding tickets and what hangs off them, as the acting user may see them."""

from django.db.models import Q, QuerySet

from ..models import ACTIVE_STATUSES, NUMBER_PREFIX, NUMBER_RE, PREFIX_TYPE, Ticket
from .permissions import can_see_internal, can_view, visible_tickets


def list_tickets(user, queryset: QuerySet | None = None) -> QuerySet:
    """Visible tickets with what a list row shows, fetched in one query."""
    return visible_tickets(user, queryset).select_related("requester__employee", "assignee__employee", "group")


def parse_ticket_ref(ref) -> dict | None:
    """Lookup kwargs for "INC-123", "inc-123", "#45" / "45" (the numeric id); None if unparsable."""
    match = NUMBER_RE.match(str(ref or ""))
    if not match:
        return None
    prefix, seq = match.group("prefix"), int(match.group("seq"))
    if prefix is None:
        return {"pk": seq}
    ticket_type = PREFIX_TYPE.get(prefix.upper())
    if ticket_type is None:
        return None
    return {"number": f"{NUMBER_PREFIX[ticket_type]}-{seq}"}


def ticket_for(user, ref, queryset: QuerySet | None = None) -> Ticket:
    """The visible ticket ``ref`` points to; raises Ticket.DoesNotExist otherwise.

    Invisible tickets look exactly like missing ones so numbers cannot be probed.
    """
    lookup = parse_ticket_ref(ref)
    if lookup is None:
        raise Ticket.DoesNotExist(ref)
    # The people's employee profiles are read when used (one trivial query each): joining them
    # too (7 joins, two of them reverse one-to-ones) made this one lookup cost twice as much as
    # the three queries together (6.5 ms vs 3.1 ms on PostgreSQL, bench/README.md).
    base = (queryset if queryset is not None else Ticket.objects).select_related(
        "requester", "assignee", "group", "category", "sla_policy"
    )
    ticket = base.get(**lookup)
    if not can_view(user, ticket):
        raise Ticket.DoesNotExist(ref)
    return ticket


def ticket_comments(user, ticket: Ticket) -> QuerySet:
    """Comments of a ticket the user may read: internal notes only for its handlers."""
    comments = ticket.comments.select_related("author__employee").prefetch_related("attachments")
    if not can_see_internal(user, ticket):
        comments = comments.filter(internal=False)
    return comments


def latest_rating(ticket: Ticket):
    """The most recent satisfaction rating of a ticket (None when unrated).

    Readable by whoever may see the ticket. Uses ``ticket.ratings.all()`` so a caller that
    prefetched ``ratings`` (API lists) runs no query per ticket.
    """
    ratings = sorted(ticket.ratings.all(), key=lambda r: (r.updated_at, r.pk), reverse=True)
    return ratings[0] if ratings else None


def ticket_attachments(user, ticket: Ticket) -> QuerySet:
    attachments = ticket.attachments.select_related("comment")
    if not can_see_internal(user, ticket):
        attachments = attachments.filter(Q(comment=None) | Q(comment__internal=False))
    return attachments


def my_open_assigned(user) -> QuerySet:
    return list_tickets(user).filter(assignee_id=user.pk, status__in=ACTIVE_STATUSES).order_by("resolution_due", "id")


def my_requested(user) -> QuerySet:
    return list_tickets(user).filter(requester_id=user.pk).order_by("-created_at", "-id")
