"""What a calendar adapter hands the sync: one event of another calendar, normalised."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ExternalEvent:
    external_id: str
    title: str
    start: datetime | None
    end: datetime | None
    cancelled: bool = False
    is_private: bool = False
    organizer_email: str = ""
    etag: str = ""
    sequence: int = 0
    # The event is the calendar copy of a booking made in Haru (written back by Haru): the
    # sync only checks that nobody changed it there (meetings.services.sync).
    owned_booking_id: int | None = None
