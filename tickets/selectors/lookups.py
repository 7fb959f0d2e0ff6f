"""Finding tickets and what hangs off them, as the acting user may see them."""

from functools import cache

from django.db.models import Q, QuerySet

from erp.core.prepared import PreparedQuery

from ..models import ACTIVE_STATUSES, NUMBER_PREFIX, NUMBER_RE, PREFIX_TYPE, Comment, Ticket
from .permissions import can_see_internal, can_view, visible_tickets

# What a list row shows besides the ticket, fetched in the same query.
LIST_RELATED = ("requester__employee", "assignee__employee", "group")


def list_tickets(user, queryset: QuerySet | None = None) -> QuerySet:
    """Visible tickets with what a list row shows, fetched in one query."""
    return visible_tickets(user, queryset).select_related(*LIST_RELATED)


# What a one-line ticket summary shows (a Slack list or App Home line: priority, number, title,
# status, SLA state, assignee's name). Lists in Slack read only these columns: the full rows of
# list_tickets (six models, ~100 columns a row) made building them cost more than the queries.
LINE_FIELDS = (
    "number",
    "title",
    "priority",
    "status",
    "sla_state",
    "ticket_type",
    "sensitive",
    "requester_id",
    "group_id",
    "assignee__username",
    "assignee__first_name",
    "assignee__last_name",
    "assignee__employee__display_name",
)


def as_lines(queryset: QuerySet) -> QuerySet:
    """``queryset`` trimmed to what a one-line summary shows (LINE_FIELDS), in one query."""
    return queryset.select_related(None).select_related("assignee__employee").only(*LINE_FIELDS)


# The relations every ticket page and service reads; a caller that shows less names its own.
TICKET_RELATED = ("requester", "assignee", "group", "category", "sla_policy")

# Of a person on a ticket, what a summary of the ticket shows (their name, their Slack id for a
# mention) and what the visibility rules read (their department).
PERSON_FIELDS = ("username", "first_name", "last_name", "employee__display_name", "employee__slack_user_id")
PERSON_RULE_FIELDS = ("employee__department_id", "employee__role")


def with_people(queryset: QuerySet | None = None) -> QuerySet:
    """Tickets with their requester, assignee and group in one query, people trimmed.

    For a ticket's summary (Slack's ticket detail): every ticket column, and of the people only
    PERSON_FIELDS. Joining the whole user and employee rows instead (five models, ~90 columns)
    cost more than three separate queries; trimmed, one query is the cheapest.
    """
    people = [f"{role}__{name}" for role in ("requester", "assignee") for name in PERSON_FIELDS + PERSON_RULE_FIELDS]
    ticket_fields = [field.name for field in Ticket._meta.concrete_fields]
    return (
        (queryset if queryset is not None else Ticket.objects)
        .select_related("requester__employee", "assignee__employee", "group")
        .only(*ticket_fields, *people, "group__name")
    )


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


def ticket_for(user, ref, queryset: QuerySet | None = None, related=TICKET_RELATED) -> Ticket:
    """The visible ticket ``ref`` points to; raises Ticket.DoesNotExist otherwise.

    Invisible tickets look exactly like missing ones so numbers cannot be probed. ``related``
    are the relations joined into the one query (the rest load on use).
    """
    lookup = parse_ticket_ref(ref)
    if lookup is None:
        raise Ticket.DoesNotExist(ref)
    # The people's employee profiles are read when used (one trivial query each): joining them
    # too (7 joins, two of them reverse one-to-ones) made this one lookup cost twice as much as
    # the three queries together (6.5 ms vs 3.1 ms on PostgreSQL, bench/README.md).
    base = queryset if queryset is not None else Ticket.objects.all()
    if related:  # select_related() with no names would join every non-null foreign key
        base = base.select_related(*related)
    ticket = base.get(**lookup)
    if not can_view(user, ticket):
        raise Ticket.DoesNotExist(ref)
    return ticket


# A ticket's summary (with_people) by number or by id: the same two shapes on every Slack
# ticket detail, so their SQL is compiled once (erp.core.prepared).
_SUMMARY_BY = {
    "number": PreparedQuery(lambda number: with_people().filter(number=number), str),
    "pk": PreparedQuery(lambda pk: with_people().filter(pk=pk), int),
}


def ticket_summary_for(user, ref) -> Ticket:
    """``ticket_for(user, ref, with_people(), related=())``, for a summary read on every request.

    The same answer, visibility check included (invisible tickets look missing); only the SQL
    is prepared once instead of compiled per call.
    """
    lookup = parse_ticket_ref(ref)
    if lookup is None:
        raise Ticket.DoesNotExist(ref)
    ((field, value),) = lookup.items()
    ticket = _SUMMARY_BY[field].get(value)
    if not can_view(user, ticket):
        raise Ticket.DoesNotExist(ref)
    return ticket


EXCERPT_FIELDS = ("ticket_id", "author_id", "body", "internal", "created_at")


def comment_excerpts(user, ticket: Ticket) -> QuerySet:
    """The comments ``user`` may read, for excerpts: author's name and the text, no attachments."""
    authors = [f"author__{name}" for name in PERSON_FIELDS]
    return ticket_comments(user, ticket).prefetch_related(None).only(*EXCERPT_FIELDS, *authors)


def latest_comment_excerpts(user, ticket: Ticket, count: int) -> list:
    """The ``count`` latest comments of ``comment_excerpts``, oldest first (a summary's tail)."""
    public_only = not can_see_internal(user, ticket)
    comments = _latest_excerpts(count, public_only).all(ticket.pk)
    comments.reverse()
    return comments


@cache
def _latest_excerpts(count: int, public_only: bool) -> PreparedQuery:
    """One prepared query per shape: with or without internal notes (can_see_internal)."""
    authors = [f"author__{name}" for name in PERSON_FIELDS]

    def build(ticket_id):
        comments = _readable(Comment.objects.filter(ticket_id=ticket_id), public_only=public_only)
        comments = comments.select_related("author__employee").only(*EXCERPT_FIELDS, *authors)
        return comments.order_by("-created_at", "-id")[:count]

    return PreparedQuery(build, int)


def ticket_comments(user, ticket: Ticket) -> QuerySet:
    """Comments of a ticket the user may read: internal notes only for its handlers."""
    comments = ticket.comments.select_related("author__employee").prefetch_related("attachments")
    return _readable(comments, public_only=not can_see_internal(user, ticket))


def _readable(comments: QuerySet, *, public_only: bool) -> QuerySet:
    return comments.filter(internal=False) if public_only else comments


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


# Whose side of a ticket a list of one's own tickets shows, and in which order.
OWN_ORDER = {"assignee": ("resolution_due", "id"), "requester": ("-created_at", "-id")}


def my_open_lines(user, side: str, count: int) -> list:
    """The first ``count`` active tickets ``user`` is the ``side`` of ("assignee": as
    my_open_assigned, "requester": my_requested), as one-line summaries (as_lines).

    No visibility filter, by the first rule of the package: everyone sees the tickets they
    requested and those assigned to them (visibility_q contains both for every role;
    tests/tickets/test_own_lists.py holds it to that). So the query has one shape whatever the
    role, and Slack's ``list`` runs it prepared (erp.core.prepared) instead of compiling the
    visibility OR per request.
    """
    if user is None or not user.is_authenticated:
        return []
    return _own_open_lines(side, count).all(user.pk)


@cache
def _own_open_lines(side: str, count: int) -> PreparedQuery:
    ordering = OWN_ORDER[side]

    def build(pk):
        own = Ticket.objects.filter(**{f"{side}_id": pk}, status__in=ACTIVE_STATUSES)
        return as_lines(own.order_by(*ordering))[:count]

    return PreparedQuery(build, int)


def _own_tickets(user) -> QuerySet:
    """``list_tickets`` without the visibility filter, for lists of one's own tickets (see
    my_open_lines: everyone sees what they requested and what is assigned to them). The
    visibility OR made PostgreSQL join every open ticket of a busy assignee before the sort."""
    if user is None or not user.is_authenticated:
        return Ticket.objects.none()
    return Ticket.objects.select_related(*LIST_RELATED)


def my_open_assigned(user) -> QuerySet:
    return _own_tickets(user).filter(assignee_id=user.pk, status__in=ACTIVE_STATUSES).order_by(*OWN_ORDER["assignee"])


def my_requested(user) -> QuerySet:
    return _own_tickets(user).filter(requester_id=user.pk).order_by(*OWN_ORDER["requester"])
