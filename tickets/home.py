"""The "My tickets" panel on the portal home page.

Agents get their queue first (the capped counts of the list's views, each a link into the
queue); everyone gets their own open requests (closed ones live in the list).
"""

from .models import ACTIVE_STATUSES
from .queue import BY_KEY, apply_view, count_label
from .selectors import list_tickets, my_open_assigned, my_requested

PANEL_ROWS = 8
HOME_VIEWS = ("mine", "unassigned", "sla")


def home_panel_context(request) -> dict | None:
    from erp.people.roles import is_agent

    user = request.user
    if not user.is_authenticated:
        return None
    agent = is_agent(user)
    assigned = list(my_open_assigned(user).select_related("sla_policy")[: PANEL_ROWS + 1]) if agent else []
    visible = list_tickets(user) if agent else None
    return {
        "queue": [(BY_KEY[key], count_label(apply_view(visible, BY_KEY[key], user))) for key in HOME_VIEWS]
        if agent
        else [],
        "assigned": assigned[:PANEL_ROWS],
        "assigned_more": len(assigned) > PANEL_ROWS,
        "requested": list(my_requested(user).filter(status__in=ACTIVE_STATUSES)[:5]),
    }
