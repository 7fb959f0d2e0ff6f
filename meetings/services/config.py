"""Configuration writes from the admin: rooms and the meeting settings, audited."""

from erp.audit.services import audited_delete, audited_save

from ..models import MeetingSettings, Room


def room_save(room: Room, *, by) -> Room:
    return audited_save(room, by=by)


def room_delete(room: Room, *, by):
    return audited_delete(room, by=by)


def meeting_settings_save(settings: MeetingSettings, *, by) -> MeetingSettings:
    return audited_save(settings, by=by)
