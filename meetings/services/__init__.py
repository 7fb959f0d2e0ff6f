"""Writes of the meetings module; views, API, admin and Slack all call these."""

from .bookings import (
    booking_cancel,
    booking_change_attendees,
    booking_check_in,
    booking_create,
    booking_decline,
    booking_move,
    booking_release,
    booking_update_details,
    release_no_shows,
)
from .config import (
    booking_admin_delete,
    booking_admin_save,
    meeting_settings_delete,
    meeting_settings_save,
    room_delete,
    room_save,
)
from .rules import BookingConflict, when
from .series import SeriesRefused, occurrences, series_cancel, series_create, series_update

__all__ = [
    "BookingConflict",
    "booking_admin_delete",
    "booking_admin_save",
    "booking_cancel",
    "booking_change_attendees",
    "booking_check_in",
    "booking_create",
    "booking_decline",
    "booking_move",
    "booking_release",
    "booking_update_details",
    "meeting_settings_delete",
    "meeting_settings_save",
    "occurrences",
    "release_no_shows",
    "room_delete",
    "room_save",
    "series_cancel",
    "series_create",
    "series_update",
    "SeriesRefused",
    "when",
]
