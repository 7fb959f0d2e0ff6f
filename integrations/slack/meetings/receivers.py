"""The room notifier and the attendee DMs: handlers of meetings' notifications, run after commit.

- created → the room's channel (the room's own, else the rooms channel of the meeting
  settings) gets a post; each attendee gets a DM with the time, the room and "decline".
- moved / cancelled / released → the post is updated in place (chat.update) and a thread
  reply under it says what happened; attendees (organizer for a release) get a DM.
- attendees changed → the new attendees get the invitation DM.
- declined → the organizer is told.

Bookings mirrored from another calendar (Google, ICS) post nothing: that calendar told its
people already, and an initial sync of a year of events must not flood a channel.
"""

from integrations.slack.core.kit import dm
from integrations.slack.core.models import Operation
from integrations.slack.core.outbox import enqueue, message_key_for
from meetings.models import NO_SHOW_EXEMPT_SOURCES, SYNCED_SOURCES, MeetingSettings

from . import blocks


def announced(booking=None, **event) -> bool:
    """Query-free filter (inside the transaction): only bookings made in Haru are announced."""
    return booking is not None and booking.source not in SYNCED_SOURCES


def release_announced(booking=None, **event) -> bool:
    """No-show releases are announced for every booking the rule releases, Google-synced
    ones included (their organizer got the check-in prompt too)."""
    return booking is not None and booking.source not in NO_SHOW_EXEMPT_SOURCES


def room_channel(booking) -> str:
    return booking.room.slack_channel_id or MeetingSettings.current().rooms_channel_id


def _post(booking) -> None:
    text, body = blocks.room_notice(booking)
    enqueue(
        kind="meetings.room_notice",
        target=room_channel(booking),
        text=text,
        blocks=body,
        record=booking,
        message_key=message_key_for(booking),
        once=True,
    )


def _follow_up(booking, kind: str, reply) -> None:
    """Update the channel post in place and say in its thread what happened."""
    channel = room_channel(booking)
    text, body = blocks.room_notice(booking)
    enqueue(
        kind="meetings.room_notice", target=channel, text=text, blocks=body, record=booking, operation=Operation.UPDATE
    )
    reply_text, reply_blocks = reply
    enqueue(kind=kind, target=channel, text=reply_text, blocks=reply_blocks, record=booking, operation=Operation.REPLY)


def _invite(booking, people) -> None:
    for person in people:
        dm(
            "meetings.invitation",
            person,
            lambda: blocks.invitation_dm(booking),
            record=booking,
            message_key=f"meetings.invitation:{booking.pk}:{person.pk}",
            once=True,
        )


def on_created(booking, *, by=None, **event) -> None:
    if booking is None:
        return
    _post(booking)
    _invite(booking, booking.attendees.all())


def on_moved(booking, *, changes=None, by=None, **event) -> None:
    if booking is None:
        return
    _follow_up(booking, "meetings.changed", blocks.change_reply(booking, changes or {}))
    for person in booking.attendees.all():
        dm("meetings.moved", person, lambda: blocks.moved_dm(booking), record=booking)


def on_cancelled(booking, *, by=None, **event) -> None:
    if booking is None:
        return
    _follow_up(booking, "meetings.cancelled", blocks.cancel_reply(booking))
    actor_id = getattr(getattr(by, "user", None), "pk", None)
    for person in booking.attendees.select_related("user"):
        if person.user_id != actor_id:
            dm("meetings.cancelled", person, lambda: blocks.cancelled_dm(booking), record=booking)


def on_released(booking, *, by=None, **event) -> None:
    if booking is None:
        return
    minutes = MeetingSettings.current().release_after_minutes
    reply = blocks.released_reply(booking, minutes)
    if booking.source in SYNCED_SOURCES:
        # Never announced when it came from the calendar: a post of its own, not a thread reply.
        text, body = reply
        enqueue(
            kind="meetings.released",
            target=room_channel(booking),
            text=text,
            blocks=body,
            record=booking,
            message_key=f"meetings.released:{booking.pk}",
            once=True,
        )
    else:
        _follow_up(booking, "meetings.released", reply)
    dm("meetings.released", booking.organizer, lambda: blocks.released_dm(booking), record=booking)


def on_attendees_changed(booking, *, added=(), by=None, **event) -> None:
    if booking is None:
        return
    _invite(booking, [person for person in added if person is not None])


def on_declined(booking, *, employee=None, by=None, **event) -> None:
    if booking is None or employee is None:
        return
    name = employee.display_name
    dm("meetings.declined", booking.organizer, lambda: blocks.declined_dm(booking, name), record=booking)
