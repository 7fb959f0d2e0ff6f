"""How meeting rooms plug into Slack: the room notifier, DMs, /room, the modal, Home, jobs."""

from integrations.slack.core.home import HomeSection
from integrations.slack.core.modules import Command, Job, Notification, Scope, SlackModule, View
from meetings import signals
from meetings.models import Booking

from . import actions, blocks, command, home, receivers
from .jobs import AGENDA, every_minute, meetings_agenda, meetings_no_shows

_NOTIFICATIONS = (
    (signals.booking_created, "meetings.created", receivers.on_created, receivers.announced),
    (signals.booking_moved, "meetings.moved", receivers.on_moved, receivers.announced),
    (signals.booking_cancelled, "meetings.cancelled", receivers.on_cancelled, receivers.announced),
    (signals.booking_released, "meetings.released", receivers.on_released, receivers.release_announced),
    (
        signals.booking_attendees_changed,
        "meetings.attendees_changed",
        receivers.on_attendees_changed,
        receivers.announced,
    ),
    (signals.attendee_declined, "meetings.declined", receivers.on_declined, receivers.announced),
)

slack_module = SlackModule(
    label="meetings",
    notifications=tuple(
        Notification(signal, kind, handler, sender=Booking, record_arg="booking", when=when)
        for signal, kind, handler, when in _NOTIFICATIONS
    ),
    commands=(
        Command(
            "SLACK_ROOM_COMMAND",
            command.handle,
            description="Meeting rooms: free rooms, book, my meetings, cancel (빈방 / 예약 / 오늘 / 취소)",
            usage_hint="free [14:00-15:00] [6] | book ROOM 14:00-15:00 TITLE | today | cancel ID | help",
        ),
    ),
    actions={
        blocks.DECLINE: actions.on_decline,
        blocks.CHECK_IN: actions.on_check_in,
        blocks.CANCEL: actions.on_cancel,
        blocks.BOOK_ROOM: actions.on_book_room,
        blocks.OPEN_MODAL: actions.on_open_modal,
    },
    views=(View(blocks.BOOK_MODAL, actions.on_book),),
    home_sections=(HomeSection("meetings", order=25, build=home.meetings_section),),
    jobs=(
        Job(meetings_agenda.name, schedule=AGENDA.beat_schedule),
        Job(meetings_no_shows.name, schedule=every_minute),
    ),
    scopes=(Scope("commands", "the room slash command"),),
)
