"""The one interface every calendar adapter offers the sync."""

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class ChangeSet:
    events: list  # meetings.services.sync.ExternalEvent
    full: bool  # a complete listing (bookings it does not list are gone)
    state: dict  # what to store on the source for next time (sync token, ETag …)
    unchanged: bool = False  # e.g. HTTP 304: nothing to apply


class CalendarAdapter(Protocol):
    kind: str

    def changes(self, source) -> ChangeSet:
        """What changed in the source's calendar since its stored state (raises CalendarHTTPError)."""

    def write_back(self, booking) -> dict:
        """Create or update the booking's event; returns {"id", "etag"} (only Google writes)."""

    def remove(self, booking) -> None:
        """Delete the booking's event (only Google writes)."""
