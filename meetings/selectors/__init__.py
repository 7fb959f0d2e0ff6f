"""Reads of the meetings module (permission-aware where they show titles)."""

from .access import (
    bookings_for,
    can_book,
    can_change,
    channel_title,
    is_room_admin,
    may_see_title,
    shown_title,
)
from .availability import (
    MAX_SPAN,
    RoomRow,
    find_conflict,
    free_rooms,
    gaps,
    nearest_free_slot,
    opening_interval,
    overlapping,
    timeline,
)
from .mine import bookings_of, bookings_on, client_place_on, usual_room

__all__ = [
    "MAX_SPAN",
    "RoomRow",
    "bookings_for",
    "bookings_of",
    "bookings_on",
    "can_book",
    "can_change",
    "channel_title",
    "client_place_on",
    "usual_room",
    "find_conflict",
    "free_rooms",
    "gaps",
    "is_room_admin",
    "may_see_title",
    "nearest_free_slot",
    "opening_interval",
    "overlapping",
    "shown_title",
    "timeline",
]
