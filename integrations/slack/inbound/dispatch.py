"""Flat exact-match routing tables for everything Slack sends (DESIGN.md §3.8).

Modules declare their handlers in their SlackModule (integrations/slack/<label>/module.py);
integrations.slack.core.modules.install() fills these tables from them. Keys are exact strings:
slash command names ("/fs"), action ids and view callback ids ("<domain>.<verb>"),
shortcut callback ids and event types. No prefixes, no regular expressions: what is
not registered answers "unknown" instead of being guessed.

Handler signatures:
    command(cmd: SlashCommand, who: SlackUser) -> dict | None          (response body)
    action(interaction: Interaction, who: SlackUser) -> None
    view(interaction: Interaction, who: SlackUser) -> dict | None       (response_action)
    shortcut(interaction: Interaction, who: SlackUser) -> None
    event(event: Event) -> bool | None           (False: nothing to do, receipt "ignored")
"""

from collections.abc import Callable

commands: dict[str, Callable] = {}
actions: dict[str, Callable] = {}
views: dict[str, Callable] = {}
view_closed: dict[str, Callable] = {}
shortcuts: dict[str, Callable] = {}
events: dict[str, Callable] = {}
# Optional cheap pre-filters per event type (event dict -> bool), checked before the
# event receipt is written: most channel messages are not for us and cost no DB write.
event_filters: dict[str, Callable] = {}

# Buttons that only open a URL still send block_actions; they need no handler.
IGNORED_ACTIONS: set[str] = {"portal.open"}


def _register(table: dict, key: str, handler: Callable, kind: str) -> None:
    existing = table.get(key)
    if existing is not None and existing is not handler:
        raise ValueError(f"Slack {kind} {key!r} is already routed to {existing.__module__}.{existing.__qualname__}")
    table[key] = handler


def register_command(name: str, handler: Callable) -> None:
    """``name`` is the slash command as Slack sends it, e.g. "/attendance" (case-insensitive)."""
    _register(commands, name.strip().lower(), handler, "command")


def register_action(action_id: str, handler: Callable) -> None:
    _register(actions, action_id, handler, "action")


def register_view(callback_id: str, handler: Callable, *, on_close: Callable | None = None) -> None:
    _register(views, callback_id, handler, "view")
    if on_close is not None:
        _register(view_closed, callback_id, on_close, "view_closed")


def register_shortcut(callback_id: str, handler: Callable) -> None:
    """Global (``shortcut``) and message (``message_action``) shortcuts share one table."""
    _register(shortcuts, callback_id, handler, "shortcut")


def register_event(event_type: str, handler: Callable, *, accepts: Callable | None = None) -> None:
    _register(events, event_type, handler, "event")
    if accepts is not None:
        _register(event_filters, event_type, accepts, "event filter")
