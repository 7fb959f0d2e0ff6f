"""The booking modal for one person: their usual room preselected, their floor listed first."""

from meetings.models import Room
from meetings.selectors import usual_room

from . import blocks


def booking_modal_for(who, *, room_id=None, start=None, end=None, metadata=None) -> dict:
    """``room_id`` (a free room's button) wins; otherwise the room ``usual_room`` finds from
    the person's recent meetings is preselected and its floor's rooms come first (Slack lists
    at most 100 options)."""
    rooms = list(Room.objects.filter(is_active=True).order_by("floor", "name"))
    employee = getattr(who, "employee", None)
    if room_id is None and employee is not None:
        usual = usual_room(employee)
        if usual is not None:
            room_id = usual.pk
            rooms.sort(key=lambda room: room.floor != usual.floor)  # stable: floor/name order kept
    return blocks.booking_modal(rooms, room_id=room_id, start=start, end=end, metadata=metadata)
