"""Who was at work, for the 80 % rule (근로기준법 제60조①): a source another app registers.

leave knows nothing of attendance (attendance listens to leave's signals, never the other way
round), so attendance registers a function here from its AppConfig.ready():
``source(employee_id, first, last) -> (ledger_start, days)``, the days in [first, last] on
which the person was at work (a check-in or a check-out recorded) and the first day the
company's attendance ledger holds anything. Without a source, or for a year that began
before the ledger did, attendance is unknown and the grant presumes the 80 % were met (in
the employee's favour; an admin override records an exception).
"""

from collections.abc import Callable
from datetime import date

PresenceSource = Callable[[int, date, date], tuple[date | None, set[date]]]

_source: PresenceSource | None = None


def register_presence_source(source: PresenceSource | None) -> None:
    global _source
    _source = source


def presence(employee_id: int, first: date, last: date) -> set[date] | None:
    """Days at work in [first, last], or None when the ledger does not cover that span."""
    if _source is None:
        return None
    ledger_start, days = _source(employee_id, first, last)
    if ledger_start is None or ledger_start > first:
        return None
    return days
