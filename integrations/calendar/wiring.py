"""Booking changes in Haru queue a write-back for rooms with a Google calendar.

The receivers run inside the booking service's transaction and write one WriteBack row
(nothing is sent there); the calendar job pushes it (integrations.calendar.sync).
Bookings that came from a calendar are not written back to it.
"""

from meetings import signals
from meetings.models import SYNCED_SOURCES, Booking, CalendarSource
from meetings.services.sync import request_write_back


def queue_write_back(sender, booking=None, **kwargs) -> None:
    if booking is None or booking.source in SYNCED_SOURCES or not booking.room.google_resource_email:
        return
    if not CalendarSource.objects.filter(room_id=booking.room_id, kind="google", is_active=True).exists():
        return
    request_write_back(booking)


def install() -> None:
    for signal in (
        signals.booking_created,
        signals.booking_moved,
        signals.booking_cancelled,
        signals.booking_released,
        signals.booking_attendees_changed,
    ):
        signal.connect(queue_write_back, sender=Booking, dispatch_uid=f"integrations.calendar.{id(signal)}")
