"""Who is working today? A registry other modules plug into (tickets never imports them).

Round-robin auto-assignment skips agents who are not working. Tickets cannot know that
by itself — attendance (leave, shifts, punches) does — and domain apps must not import
each other, so attendance registers a checker from its AppConfig.ready()::

    from tickets.availability import register_availability_checker

    def on_leave_today(user, moment):
        # Return False when the user is NOT working at ``moment``, True when they are,
        # None when this checker does not know.
        ...

    register_availability_checker(on_leave_today)

A user is available unless some checker returns False. A checker that raises is logged
and ignored: an attendance bug must not stop tickets from being created.
"""

import logging
from collections.abc import Callable
from datetime import datetime

logger = logging.getLogger(__name__)

AvailabilityChecker = Callable[[object, datetime], bool | None]
_checkers: list[AvailabilityChecker] = []


def register_availability_checker(checker: AvailabilityChecker) -> None:
    if checker not in _checkers:
        _checkers.append(checker)


def unregister_availability_checker(checker: AvailabilityChecker) -> None:
    if checker in _checkers:
        _checkers.remove(checker)


def is_available(user, moment: datetime) -> bool:
    for checker in list(_checkers):
        try:
            if checker(user, moment) is False:
                return False
        except Exception:
            logger.exception("Availability checker %r failed; treating %s as available", checker, user)
    return True
