"""Buttons and the booking modal: decline, check in, cancel, book a free room, submit the form.

Every write is meetings.services with ``by=who.actor()``. A button on a message answers
through its response_url (the inbound view turns a refusal raised here into an ephemeral
reply); the modal answers refusals inline, under the field they are about.
"""

import json
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from erp.core.errors import DomainError
from erp.people.models import Employee
from erp.workcalendar.calendar import KST
from integrations.slack.core.home import build_home, publish_home
from integrations.slack.inbound.deferred import defer, respond_later
from integrations.slack.inbound.modals import open_modal
from integrations.slack.inbound.replies import SlackUserError, ephemeral, explain, modal_errors
from meetings.models import Booking, Room
from meetings.services import BookingConflict, booking_check_in, booking_create, booking_decline, when

from . import blocks
from .command import cancel_by_id
from .modal import booking_modal_for

# Which modal field a refusal belongs under, by the service's ValidationError code.
_FIELD_OF_CODE = {
    "unknown_room": blocks.ROOM,
    "inactive": blocks.ROOM,
    "title": blocks.TITLE,
    "reversed": blocks.END,
    "too_long": blocks.END,
    "hours": blocks.START,
    "past": blocks.START,
    "day_off": blocks.DAY,
    "times": blocks.START,
}


def _booking(interaction) -> Booking:
    value = interaction.action_value
    booking = (
        Booking.objects.select_related("room", "organizer").filter(pk=int(value)).first() if value.isdigit() else None
    )
    if booking is None:
        raise SlackUserError(_("This booking no longer exists."))
    return booking


def _answer(interaction, text: str) -> None:
    if interaction.response_url:
        respond_later(interaction.response_url, ephemeral(text))
    elif interaction.trigger_id:
        open_modal(interaction.trigger_id, blocks.notice_modal(text))


def _refusal(exc: Exception) -> SlackUserError:
    return SlackUserError(explain(exc) or _("This could not be done."))


def on_decline(interaction, who) -> None:
    booking = _booking(interaction)
    try:
        booking_decline(booking=booking, employee=who.employee, by=who.actor())
    except (DomainError, ValidationError, PermissionDenied) as exc:
        raise _refusal(exc) from exc
    _answer(interaction, _("You declined “%(title)s”; the organizer was told.") % {"title": booking.title})


def on_check_in(interaction, who) -> None:
    booking = _booking(interaction)
    try:
        booking = booking_check_in(booking=booking, by=who.actor())
    except (DomainError, ValidationError, PermissionDenied) as exc:
        raise _refusal(exc) from exc
    _answer(interaction, blocks.checked_in_text(booking))


def on_cancel(interaction, who) -> None:
    try:
        booking = cancel_by_id(who, interaction.action_value)
    except (DomainError, ValidationError, PermissionDenied) as exc:
        raise _refusal(exc) from exc
    _answer(
        interaction,
        _("Cancelled #%(id)d: %(room)s, %(when)s.")
        % {"id": booking.pk, "room": booking.room.name, "when": when(booking.start, booking.end)},
    )
    defer(publish_home, who.origin.user_id, build_home(who))


def on_book_room(interaction, who) -> None:
    """A free room's "book" button: the modal, prefilled with that room and time."""
    try:
        slot = json.loads(interaction.action_value)
        start, end = datetime.fromisoformat(slot["s"]), datetime.fromisoformat(slot["e"])
        room_id = int(slot["r"])
    except (ValueError, KeyError, TypeError):
        raise SlackUserError(_("This button is out of date; ask for free rooms again.")) from None
    metadata = {"response_url": interaction.response_url} if interaction.response_url else {}
    open_modal(interaction.trigger_id, booking_modal_for(who, room_id=room_id, start=start, end=end, metadata=metadata))


def on_open_modal(interaction, who) -> None:
    open_modal(interaction.trigger_id, booking_modal_for(who))


def _value(values: dict, block: str) -> dict:
    return (values.get(block) or {}).get(block) or {}


def _read_form(values: dict):
    errors = {}
    room_value = (_value(values, blocks.ROOM).get("selected_option") or {}).get("value") or ""
    room = Room.objects.filter(pk=int(room_value)).first() if room_value.isdigit() else None
    if room is None:
        errors[blocks.ROOM] = _("Choose a room.")
    day = _value(values, blocks.DAY).get("selected_date")
    start_time = _value(values, blocks.START).get("selected_time")
    end_time = _value(values, blocks.END).get("selected_time")
    start = end = None
    try:
        if day and start_time:
            start = datetime.fromisoformat(f"{day}T{start_time}").replace(tzinfo=KST)
        if day and end_time:
            end = datetime.fromisoformat(f"{day}T{end_time}").replace(tzinfo=KST)
    except ValueError:
        errors[blocks.START] = _("Give a start and an end time.")
    if not day:
        errors[blocks.DAY] = _("Choose a date.")
    if start is None:
        errors.setdefault(blocks.START, _("Give a start and an end time."))
    if end is None:
        errors.setdefault(blocks.END, _("Give a start and an end time."))
    slack_ids = _value(values, blocks.ATTENDEES).get("selected_users") or []
    attendees = list(Employee.objects.filter(slack_user_id__in=slack_ids, user__is_active=True))
    unknown = len(set(slack_ids)) - len(attendees)
    if unknown:
        errors[blocks.ATTENDEES] = _("Some of the chosen people have no Haru account; remove them.")
    private = bool(_value(values, blocks.PRIVATE).get("selected_options"))
    title = _value(values, blocks.TITLE).get("value") or ""
    return errors, room, start, end, attendees, private, title


def on_book(interaction, who) -> dict | None:
    """Modal submitted: book, or show the refusal under its field (the modal stays open)."""
    errors, room, start, end, attendees, private, title = _read_form(interaction.state_values)
    if errors:
        return modal_errors(errors)
    try:
        booking = booking_create(
            room=room,
            title=title,
            organizer=who.employee,
            start=start,
            end=end,
            attendees=attendees,
            is_private=private,
            by=who.actor(),
            source="slack",
        )
    except BookingConflict as exc:
        return modal_errors({blocks.START: str(exc)})
    except ValidationError as exc:
        return modal_errors({_FIELD_OF_CODE.get(getattr(exc, "code", ""), blocks.START): explain(exc)})
    except (DomainError, PermissionDenied) as exc:
        return modal_errors({blocks.ROOM: explain(exc)})
    response_url = interaction.private_metadata.get("response_url")
    text = _("Booked %(room)s, %(when)s: %(title)s (#%(id)d)") % {
        "room": booking.room.name,
        "when": when(booking.start, booking.end),
        "title": booking.title,
        "id": booking.pk,
    }
    if isinstance(response_url, str) and response_url:
        respond_later(response_url, ephemeral(text))
    defer(publish_home, who.origin.user_id, build_home(who))
    return None
