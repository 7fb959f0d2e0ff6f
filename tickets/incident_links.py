"""Where a P1 incident is being worked, for the ticket page's banner.

The tickets domain does not know Slack; the Slack module registers a provider returning
(label, url) for a ticket's incident channel (integrations/slack/tickets/incidents.py).
"""

from collections.abc import Callable

_providers: list[Callable] = []


def register_incident_link(provider: Callable) -> None:
    if provider not in _providers:
        _providers.append(provider)


def incident_link(ticket) -> tuple[str, str] | None:
    for provider in _providers:
        link = provider(ticket)
        if link:
            return link
    return None
