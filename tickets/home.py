"""The "My tickets" panel on the portal home page."""

from .selectors import my_open_assigned, my_requested

PANEL_ROWS = 8


def home_panel_context(request) -> dict | None:
    user = request.user
    if not user.is_authenticated:
        return None
    assigned = list(my_open_assigned(user).select_related("sla_policy")[: PANEL_ROWS + 1])
    return {
        "assigned": assigned[:PANEL_ROWS],
        "assigned_more": len(assigned) > PANEL_ROWS,
        "requested": list(my_requested(user)[:5]),
    }
