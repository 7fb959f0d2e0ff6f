"""Where is this person working today? Hints other modules plug into (attendance imports none).

A meeting booked "at a client site" (meetings) knows that its organizer and attendees will be
at that client that day; the check-in form and the Slack check-in prompt then offer the
place. Modules register from their AppConfig.ready()::

    from attendance.place_hints import register_place_hint
    register_place_hint(client_place_on)   # (employee, day) -> "삼성전자 수원" or ""

A hint that raises is logged and ignored: a check-in must never fail because of it.
"""

import logging
from collections.abc import Callable
from datetime import date

logger = logging.getLogger(__name__)

_hints: list[Callable] = []


def register_place_hint(hint: Callable) -> None:
    if hint not in _hints:
        _hints.append(hint)


def client_place_hint(employee, day: date) -> str:
    """The first client site a module expects ``employee`` at on ``day``, or ""."""
    for hint in _hints:
        try:
            place = hint(employee, day)
        except Exception:
            logger.exception("Place hint %s failed", hint)
            continue
        if place:
            return place
    return ""


def check_in_initial(employee, day: date) -> dict:
    """Initial values of the check-in form: the client site when a module expects one."""
    place = client_place_hint(employee, day) if employee is not None else ""
    return {"location": "client", "place": place} if place else {}
