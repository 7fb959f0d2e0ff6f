"""Booking changes in Haru queue a write-back for rooms with a Google calendar.

The receivers run inside the booking service's transaction and write one WriteBack row
(nothing is sent there); the calendar job pushes it (integrations.calendar.sync).
Bookings that came from a calendar are not written back to it, except a Google event released
as a no-show (the room leaves the event).
"""

from meetings import signals
from meetings.models import SYNCED_SOURCES, Booking, BookingSource, CalendarSource
from meetings.services.sync import request_write_back


def queue_write_back(sender, booking=None, signal=None, **kwargs) -> None:
    if booking is None or not booking.room.google_resource_email:
        return
    # A Google event released as a no-show is the one synced booking written back: the room
    # leaves the event (push_write_backs removes it from the room's calendar).
    released_from_google = signal is signals.booking_released and booking.source == BookingSource.GOOGLE
    if booking.source in SYNCED_SOURCES and not released_from_google:
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
