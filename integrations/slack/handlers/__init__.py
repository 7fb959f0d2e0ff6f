"""Slack handlers per domain, registered in the flat routing tables of slack.inbound.

Later modules register theirs from their own AppConfig.ready() with
``integrations.slack.inbound.routing.register_*`` and add App Home sections with
``integrations.slack.handlers.home.register_home_section``.
"""

_registered = False


def register_all() -> None:
    """Route the ticket command, buttons, modals, shortcut, events and the App Home (once)."""
    global _registered
    if _registered:
        return
    from . import (
        attendance_command,
        attendance_home,
        home,
        tickets_actions,
        tickets_command,
        tickets_events,
        tickets_modals,
    )

    tickets_command.register()
    tickets_actions.register()
    tickets_modals.register()
    tickets_events.register()
    home.register()
    attendance_command.register()
    attendance_home.register()
    _registered = True
