"""Ticket search: title, description and readable comments (the planner in erp.core.search).

The list page, CSV export, API and Slack search reach it through the FilterSet's ``q``;
the history search through the ``tickets`` search source (registered in tickets/apps.py).
"""

from django.db.models import Q
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from erp.core.search import RelatedText, SearchSource, TextSearch, clean_text

from ..models import Comment, Ticket
from .lookups import parse_ticket_ref
from .permissions import handler_q, visible_tickets

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
    matches = TICKET_TEXT.q(text, reveal=handler_q(user))
    lookup = parse_ticket_ref(text)
    if lookup and "number" in lookup:
        matches |= Q(**lookup)
    return matches


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
