"""Configuration writes from the admin: rooms and the meeting settings, audited; and the
admin's booking form, which goes through the same booking services as everyone else."""

from erp.audit.services import audited_delete, audited_save

from ..models import Booking, MeetingSettings, Room
from .bookings import booking_cancel, booking_change_attendees, booking_create, booking_move, booking_update_details


def room_save(*, room: Room, by) -> Room:
    return audited_save(room, by=by)


def room_delete(*, room: Room, by):
    return audited_delete(room, by=by)


def meeting_settings_save(*, settings: MeetingSettings, by) -> MeetingSettings:
    return audited_save(settings, by=by)


def meeting_settings_delete(*, settings: MeetingSettings, by):
    return audited_delete(settings, by=by)


def booking_admin_save(*, booking: Booking, by, attendees=None) -> Booking:
    """A new booking is created, an existing one moved / edited (conflicts refused as anywhere)."""
    if booking.pk is None:
        return booking_create(
            room=booking.room,
            title=booking.title,
            organizer=booking.organizer,
            start=booking.start,
            end=booking.end,
            attendees=attendees or (),
            is_private=booking.is_private,
            client_place=booking.client_place,
            source="admin",
            by=by,
        )
    saved = booking_move(booking=booking, start=booking.start, end=booking.end, room=booking.room, by=by)
    booking_update_details(
        booking=saved, title=booking.title, is_private=booking.is_private, client_place=booking.client_place, by=by
    )
    if attendees is not None:
        booking_change_attendees(booking=saved, attendees=attendees, by=by)
    return saved


def booking_admin_delete(*, booking: Booking, by):
    """Bookings are never deleted from the admin: "delete" cancels, and the row stays."""
    return booking_cancel(booking=booking, by=by, reason="admin")


def calendar_source_save(*, source, by):
    return audited_save(source, by=by)


def calendar_source_delete(*, source, by):
    return audited_delete(source, by=by)


def sync_conflict_save(*, conflict, by):
    """An admin marks a surfaced sync conflict as resolved (the only editable field)."""
    return audited_save(conflict, by=by, fields=["resolved"])


def sync_conflict_delete(*, conflict, by):
    return audited_delete(conflict, by=by)
