"""Ticket search: title, description and readable comments (the planner in erp.core.search).

The list page, CSV export, API and Slack search reach it through the FilterSet's ``q``;
the history search through the ``tickets`` search source (registered in tickets/apps.py).
"""

from functools import cache

from django.db import connection
from django.db.models import Q
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from erp.core.prepared import PreparedQuery
from erp.core.search import RelatedText, SearchSource, TextSearch, clean_text

from ..models import Comment, Ticket
from .lookups import as_lines, parse_ticket_ref
from .permissions import Viewer, handler_q, viewer_handles_q, viewer_of, viewer_sees_q, visible_tickets

# Frequent in comments → tickets_comment_match() per ticket met along the sort index
# (migration 0003): PL/pgSQL, so never inlined into a hashed scan of every comment.
TICKET_TEXT = TextSearch(
    Ticket,
    (
        "title",
        "description",
        RelatedText(Comment, "ticket", "body", private="internal", row_function="tickets_comment_match"),
    ),
)


def search_q(user, text: str) -> Q:
    """Tickets whose title, description or a comment the user may read contains ``text``.

    Korean-aware substring search (erp.core.search: the same answer as a LIKE scan,
    bigram-indexed on PostgreSQL). An internal note only matches for users who handle that
    ticket, so a requester cannot discover note text by searching for it. A ticket number
    (INC-12) matches too. Runs the planner's probe queries (one per field) when called; the
    returned Q is then plain SQL, to combine with the visibility and the other filters.
    """
    text = clean_text(text)
    # handler_q: None for admins (every note readable), else the tickets the user handles.
    return _matches(TICKET_TEXT.plan(text), text, handler_q(user))


def _matches(plan, text: str, reveal: Q | None) -> Q:
    matches = plan.q(reveal=reveal)
    if _number_lookup(text):
        matches |= Q(**_number_lookup(text))
    return matches


def _number_lookup(text: str) -> dict | None:
    lookup = parse_ticket_ref(text)
    return lookup if lookup and "number" in lookup else None


SEARCH_ORDER = ("-updated_at", "-id")


def search_lines(user, text: str, count: int) -> list:
    """The first ``count`` tickets ``user`` may see that match ``text`` (``search_q``), latest
    change first, as one-line summaries (``as_lines``): Slack's search answer.

    The same rows as ``as_lines(visible_tickets(user).filter(search_q(user, text)))``. When the
    index found every match and no internal note needs the handler rule (rare terms: the usual
    "did we ever have X?"), the final query runs prepared (erp.core.prepared): one shape per
    kind of viewer (``Viewer.shape``) with the ids as one array, instead of compiling the
    visibility OR and ``pk IN (…)`` for every search (most of the Python time of one).
    """
    if user is None or not user.is_authenticated:
        return []
    text = clean_text(text)
    viewer = viewer_of(user)
    plan = TICKET_TEXT.plan(text)
    ids = plan.found_ids(reveal_all=viewer is None) if text and not _number_lookup(text) else None
    if ids is not None and connection.vendor == "postgresql":
        if not ids:
            return []
        values = () if viewer is None else viewer.values
        return _prepared_search_lines(None if viewer is None else viewer.shape, count).all(*values, ids)
    reveal = None if viewer is None else viewer_handles_q(viewer)
    found = visible_tickets(user).filter(_matches(plan, text, reveal)) if text else visible_tickets(user)
    return list(as_lines(found.order_by(*SEARCH_ORDER))[:count])


@cache
def _prepared_search_lines(shape: tuple | None, count: int) -> PreparedQuery:
    """``search_lines``' final query for viewers of ``shape`` (None: ticket admins, who see all)."""

    def build(*values):
        *viewer_values, ids = values
        tickets = Ticket.objects.filter(pk__in_array=ids)  # one array parameter, whatever the count
        if shape is not None:
            tickets = tickets.filter(viewer_sees_q(Viewer.of_shape(shape, *viewer_values)))
        return as_lines(tickets.order_by(*SEARCH_ORDER))[:count]

    viewer_kinds = () if shape is None else (int,) * (2 if shape[0] or shape[2] else 1)
    return PreparedQuery(build, *viewer_kinds, list)


def _title(ticket: Ticket) -> str:
    return f"{ticket.number} {ticket.title}"


def _summary(ticket: Ticket) -> str:
    return Truncator(ticket.description).chars(160)


TICKET_SOURCE = SearchSource(
    key="tickets",
    label=_("Tickets"),
    model=Ticket,
    fields=TICKET_TEXT.fields,
    for_user=visible_tickets,
    matches=search_q,
    title=_title,
    summary=_summary,
    url=Ticket.get_absolute_url,
    date_field="created_at",
    order=10,
    person_fields=("requester__employee", "assignee__employee"),
    status_field="status",
    body=lambda ticket: ticket.description,
    csv_columns=((_("Priority"), lambda ticket: ticket.priority),),
)
