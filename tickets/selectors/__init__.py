"""Permission-aware reads of tickets (``from tickets.selectors import …``).

Roles (erp.people.Employee.role) and what they see:
- requester (anyone): the tickets they requested and those assigned to them;
- agent: plus every ticket of their group (their department);
- manager: plus tickets requested by people of their department;
- admin (role admin or superuser): everything.
A *sensitive* ticket is only visible to its requester, its assignee, the managers of its
group and admins. Internal notes are shown only to people who handle the ticket.

- ``permissions``: who may see and do what (``visible_tickets``, ``handler_q``, ``can_*``);
- ``lookups``: finding tickets and their comments, attachments and ratings;
- ``search``: the ticket search (``search_q``) and the ticket search source.
"""

from .lookups import (
    as_lines,
    comment_excerpts,
    latest_comment_excerpts,
    latest_rating,
    list_tickets,
    my_open_assigned,
    my_open_lines,
    my_requested,
    parse_ticket_ref,
    ticket_attachments,
    ticket_comments,
    ticket_for,
    ticket_summary_for,
    with_people,
)
from .permissions import (
    allowed_actions,
    can_assign,
    can_change_status,
    can_close,
    can_comment,
    can_comment_from_thread,
    can_declassify,
    can_edit,
    can_escalate,
    can_handle,
    can_rate,
    can_reopen,
    can_resolve,
    can_see_internal,
    can_view,
    handler_q,
    is_requester,
    is_ticket_admin,
    visibility_q,
    visible_tickets,
)
from .search import SEARCH_ORDER, TICKET_SOURCE, TICKET_TEXT, search_lines, search_q

__all__ = [
    "SEARCH_ORDER",
    "TICKET_SOURCE",
    "TICKET_TEXT",
    "allowed_actions",
    "can_assign",
    "can_change_status",
    "can_close",
    "can_comment",
    "can_comment_from_thread",
    "can_edit",
    "can_escalate",
    "can_handle",
    "can_rate",
    "can_reopen",
    "can_resolve",
    "can_see_internal",
    "can_view",
    "handler_q",
    "is_requester",
    "is_ticket_admin",
    "latest_comment_excerpts",
    "latest_rating",
    "as_lines",
    "comment_excerpts",
    "list_tickets",
    "my_open_assigned",
    "my_open_lines",
    "my_requested",
    "parse_ticket_ref",
    "search_lines",
    "search_q",
    "ticket_attachments",
    "ticket_comments",
    "ticket_for",
    "ticket_summary_for",
    "with_people",
    "visibility_q",
    "visible_tickets",
    "can_declassify",
]
