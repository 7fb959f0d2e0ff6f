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
