"""Permission-aware reads of tickets: the ONE place that says who may see and do what.

The browser UI, the REST API, the admin and the Slack layer all call these, and the
services enforce the ``can_*`` checks by raising ``django.core.exceptions.PermissionDenied``.

Roles (erp.people.Employee.role) and what they see:
- requester (anyone): the tickets they requested and those assigned to them;
- agent: plus every ticket of their group (their department);
- manager: plus tickets requested by people of their department;
- admin (role admin or superuser): everything.
A *sensitive* ticket is only visible to its requester, its assignee, the managers of its
group and admins. Internal notes are shown only to people who handle the ticket.
"""

from django.db import connection
from django.db.models import BooleanField, Exists, F, Func, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Lower, StrIndex
from django.db.models.lookups import GreaterThan

from erp.people.roles import is_agent, is_module_admin
from erp.people.selectors import employee_of

from .models import ACTIVE_STATUSES, NUMBER_PREFIX, NUMBER_RE, PREFIX_TYPE, Comment, Status, Ticket


def is_ticket_admin(user) -> bool:
    return is_module_admin(user, "tickets")


def _agent_employee(user):
    """The employee record when the user has an agent-level role with a department."""
    employee = employee_of(user)
    if employee and employee.is_agent and employee.department_id:
        return employee
    return None


def handler_q(user, prefix: str = "") -> Q | None:
    """Tickets ``user`` handles as an agent (None = all tickets; Q(pk__in=[]) = none)."""
    if is_ticket_admin(user):
        return None
    p = prefix
    handled = Q(**{f"{p}assignee_id": user.pk})
    employee = _agent_employee(user)
    if employee:
        in_group = Q(**{f"{p}group_id": employee.department_id})
        if employee.is_manager:
            handled |= in_group
        else:
            handled |= in_group & Q(**{f"{p}sensitive": False})
    return handled


def visibility_q(user, prefix: str = "") -> Q | None:
    """Tickets ``user`` may see (None = all tickets)."""
    if is_ticket_admin(user):
        return None
    p = prefix
    visible = Q(**{f"{p}requester_id": user.pk}) | handler_q(user, prefix)
    employee = employee_of(user)
    if employee and employee.is_manager and employee.department_id:
        visible |= Q(**{f"{p}requester__employee__department_id": employee.department_id, f"{p}sensitive": False})
    return visible


def visible_tickets(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = Ticket.objects.all() if queryset is None else queryset
    if user is None or not user.is_authenticated:
        return queryset.none()
    condition = visibility_q(user)
    return queryset if condition is None else queryset.filter(condition)


def list_tickets(user, queryset: QuerySet | None = None) -> QuerySet:
    """Visible tickets with what a list row shows, fetched in one query."""
    return visible_tickets(user, queryset).select_related("requester__employee", "assignee__employee", "group")


# --- single-ticket checks --------------------------------------------------------------
def _employee_cache(user):
    return employee_of(user) if user is not None and user.is_authenticated else None


def can_handle(user, ticket: Ticket) -> bool:
    """Agent-level rights on this ticket: assign, change status, internal notes, escalate."""
    if user is None or not user.is_authenticated:
        return False
    if is_ticket_admin(user):
        return True
    if ticket.assignee_id == user.pk:
        return True
    employee = _agent_employee(user)
    if employee is None or ticket.group_id != employee.department_id:
        return False
    return not ticket.sensitive or employee.is_manager


def can_view(user, ticket: Ticket) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if ticket.requester_id == user.pk or can_handle(user, ticket):
        return True
    employee = _employee_cache(user)
    if employee and employee.is_manager and employee.department_id and not ticket.sensitive:
        requester_employee = employee_of(ticket.requester)
        return bool(requester_employee and requester_employee.department_id == employee.department_id)
    return False


def is_requester(user, ticket: Ticket) -> bool:
    return user is not None and user.is_authenticated and ticket.requester_id == user.pk


def can_edit(user, ticket: Ticket) -> bool:
    """Handlers edit any field; the requester edits title/description while nobody picked it up."""
    if ticket.status == Status.CLOSED:
        return False
    return can_handle(user, ticket) or (is_requester(user, ticket) and ticket.status == Status.OPEN)


def can_assign(user, ticket: Ticket) -> bool:
    return ticket.status != Status.CLOSED and can_handle(user, ticket)


def can_change_status(user, ticket: Ticket) -> bool:
    return can_handle(user, ticket)


def can_comment(user, ticket: Ticket, *, internal: bool = False) -> bool:
    if ticket.status == Status.CLOSED:
        return False
    if internal:
        return can_handle(user, ticket)
    return can_view(user, ticket)


def can_comment_from_thread(user, ticket: Ticket) -> bool:
    """Whether a reply in the chat thread under a ticket's message becomes a comment.

    Only agents' replies do: a ticket's thread in a team channel is also where colleagues
    chat about it, and only the people working tickets speak for the ticket there. Anyone
    else (the requester too) comments through the portal, a command or the comment button.
    """
    return is_agent(user) and can_comment(user, ticket)


def can_see_internal(user, ticket: Ticket) -> bool:
    return can_handle(user, ticket)


def can_escalate(user, ticket: Ticket) -> bool:
    return ticket.status in ACTIVE_STATUSES and can_handle(user, ticket)


def can_resolve(user, ticket: Ticket) -> bool:
    return can_handle(user, ticket)


def can_close(user, ticket: Ticket) -> bool:
    """Handlers close tickets; a requester may close their own (e.g. no longer needed)."""
    return can_handle(user, ticket) or is_requester(user, ticket)


def can_reopen(user, ticket: Ticket) -> bool:
    return can_handle(user, ticket) or is_requester(user, ticket)


def can_rate(user, ticket: Ticket) -> bool:
    """Only the requester rates, once the ticket is resolved or closed (tickets.services.ticket_rate)."""
    return is_requester(user, ticket) and ticket.status in (Status.RESOLVED, Status.CLOSED)


def allowed_actions(user, ticket: Ticket) -> dict[str, bool]:
    """Every check at once, for templates and API clients."""
    return {
        "view": can_view(user, ticket),
        "edit": can_edit(user, ticket),
        "assign": can_assign(user, ticket),
        "change_status": can_change_status(user, ticket),
        "comment": can_comment(user, ticket),
        "internal_note": can_comment(user, ticket, internal=True),
        "escalate": can_escalate(user, ticket),
        "resolve": can_resolve(user, ticket) and ticket.status in ACTIVE_STATUSES,
        "close": can_close(user, ticket) and ticket.status != Status.CLOSED,
        "reopen": can_reopen(user, ticket) and ticket.status in (Status.RESOLVED, Status.CLOSED),
        "rate": can_rate(user, ticket),
    }


# --- lookups ---------------------------------------------------------------------------
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
    base = (queryset if queryset is not None else Ticket.objects).select_related(
        "requester__employee", "assignee__employee", "group", "category", "sla_policy"
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


# How many index matches make a term "frequent" (see search_q).
FREQUENT_TERM_MATCHES = 2000


def _contains(column: str, text: str):
    """Plain per-row substring test (STRPOS / INSTR): cheap on one row, no index."""
    return GreaterThan(StrIndex(Lower(column), Value(text.lower())), 0)


def _comment_match(text: str, public_only: bool):
    """tickets_comment_match(id, text, public_only): PostgreSQL function from migration 0003."""
    return Func(F("pk"), Value(text), Value(public_only), function="tickets_comment_match", output_field=BooleanField())


def _is_frequent(matches: QuerySet) -> bool:
    """At least FREQUENT_TERM_MATCHES rows match: "does the N-th match exist?" (LIMIT 1 OFFSET
    N-1 through the bigram index), which stops at N instead of counting every match."""
    return matches.values("pk")[FREQUENT_TERM_MATCHES - 1 : FREQUENT_TERM_MATCHES].exists()


def search_q(user, text: str) -> Q:
    """Tickets whose title, description or a comment the user may read contains ``text``.

    Korean-aware substring search (erp.core.search ``search_contains``, bigram-indexed on
    PostgreSQL). An internal note only matches for users who handle that ticket, so a
    requester cannot discover note text by searching for it. A ticket number matches too.

    Two query shapes, because PostgreSQL cannot estimate bigram matches (it multiplies the
    bigram frequencies as if independent) and so cannot pick between them itself:
    - a rare term is answered from the GIN bigram indexes: id subqueries per column, hashed
      once, then the page is read along the sort index;
    - a frequent term (≥ FREQUENT_TERM_MATCHES matches in a column, found by a bounded
      probe query per column) is tested row by row while walking the sort index — a cheap
      STRPOS on title/description, the tickets_comment_match() probe (migration 0003) for
      comments — so a page of 50 is found after a few hundred rows instead of hashing tens
      of thousands of ids.
    On SQLite (no bigram index) the row-by-row shape is the only one.
    Runs the probe queries when called (PostgreSQL); the returned Q is then plain SQL.
    """
    text = text.strip()
    handled = handler_q(user, "ticket__")
    # Admins (handled is None) may read every note.
    readable = Q() if handled is None else Q(internal=False) | handled
    handled_outer = handler_q(user)
    indexed = connection.vendor == "postgresql"
    matches = Q(pk__in=[])
    for column in ("title", "description"):
        by_index = Ticket.objects.filter(**{f"{column}__search_contains": text})
        if indexed and not _is_frequent(by_index):
            matches |= Q(pk__in=by_index.values("pk"))
        else:
            matches |= Q(_contains(column, text))
    comments = Comment.objects.filter(readable, body__search_contains=text)
    if indexed and not _is_frequent(comments):
        matches |= Q(pk__in=comments.values("ticket_id"))
    elif indexed:
        # Frequent in comments: test each ticket met along the sort index (see migration 0003).
        if handled is None:
            matches |= Q(_comment_match(text, public_only=False))
        else:
            matches |= Q(_comment_match(text, public_only=True)) | (handled_outer & Q(_comment_match(text, False)))
    else:
        own = Comment.objects.filter(ticket_id=OuterRef("pk")).filter(_contains("body", text))
        if handled is None:
            matches |= Q(Exists(own))
        else:
            matches |= Q(Exists(own.filter(internal=False))) | (handled_outer & Q(Exists(own)))
    lookup = parse_ticket_ref(text)
    if lookup and "number" in lookup:
        matches |= Q(**lookup)
    return matches


def my_open_assigned(user) -> QuerySet:
    return list_tickets(user).filter(assignee_id=user.pk, status__in=ACTIVE_STATUSES).order_by("resolution_due", "id")


def my_requested(user) -> QuerySet:
    return list_tickets(user).filter(requester_id=user.pk).order_by("-created_at", "-id")
