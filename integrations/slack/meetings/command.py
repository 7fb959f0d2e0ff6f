"""The room command (settings.SLACK_ROOM_COMMAND, default /room), English and Korean words.

``/room free [tomorrow|2026-12-03|12/3] [14:00[-15:00]] [6]`` (빈방 [내일] [14:00~15:00] [6명]):
free rooms now (the coming hour) or at a time, for N people, each with a "book" button.
``/room book 한강 14:00-15:00 주간 회의`` (예약 …) books at once; ``/room book`` alone opens the
booking modal. ``/room today`` (오늘, 내예약): my meetings today with cancel buttons.
``/room cancel 42`` (취소 42). Writes call meetings.services with ``by=who.actor()``; refusals
are the services' own sentences, in the person's language.
"""

import re
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from erp.core.errors import DomainError
from erp.workcalendar.calendar import KST
from integrations.slack.core.blocks import escape
from integrations.slack.inbound.modals import open_modal
from integrations.slack.inbound.replies import SlackUserError, ephemeral, explain
from integrations.slack.tickets.handlers.common import slack_text_to_plain
from meetings.models import Booking, Room
from meetings.selectors import bookings_on, can_change, free_rooms
from meetings.services import booking_cancel, booking_create, when

from . import blocks
from .modal import booking_modal_for

VERBS = {
    "free": "free", "rooms": "free", "빈방": "free", "빈": "free", "빈회의실": "free",
    "book": "book", "예약": "book", "new": "book",
    "today": "today", "mine": "today", "my": "today", "오늘": "today", "내예약": "today", "내": "today",
    "cancel": "cancel", "취소": "cancel",
    "help": "help", "도움말": "help", "도움": "help", "?": "help",
}  # fmt: skip
TOMORROW = {"tomorrow", "내일"}
TODAY = {"today", "오늘"}
_RANGE = re.compile(r"^(\d{1,2}):?(\d{2})?\s*[-~]\s*(\d{1,2}):?(\d{2})?$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$|^(\d{1,2})시$")
_PEOPLE = re.compile(r"^(\d{1,3})(명|people|persons|p)?$", re.IGNORECASE)
_DAY = re.compile(r"^(?:(\d{4})-)?(\d{1,2})[-/](\d{1,2})$")


def _split(text: str) -> tuple[str, str]:
    parts = (text or "").strip().split(None, 1)
    if not parts:
        return "", ""
    return parts[0], parts[1].strip() if len(parts) > 1 else ""


def _clock(hour: str, minute: str | None) -> time:
    hour, minute = int(hour), int(minute or 0)
    if hour > 23 or minute > 59:
        raise SlackUserError(_("“%(value)s” is not a time of day.") % {"value": f"{hour}:{minute:02d}"})
    return time(hour, minute)


class Slot:
    """What the words say about when and for how many: day, start/end times, people."""

    def __init__(self, today: date):
        self.day = today
        self.start: time | None = None
        self.end: time | None = None
        self.people = 1
        self.rest: list[str] = []

    def read(self, word: str) -> bool:
        lowered = word.lower()
        if lowered in TOMORROW:
            self.day += timedelta(days=1)
            return True
        if lowered in TODAY:
            return True
        if match := _DAY.match(word):
            year = int(match.group(1) or self.day.year)
            try:
                self.day = date(year, int(match.group(2)), int(match.group(3)))
            except ValueError:
                raise SlackUserError(_("“%(value)s” is not a date.") % {"value": escape(word[:20])}) from None
            return True
        if match := _RANGE.match(word):
            self.start, self.end = _clock(match.group(1), match.group(2)), _clock(match.group(3), match.group(4))
            return True
        if match := _TIME.match(word):
            self.start = _clock(match.group(1) or match.group(3), match.group(2))
            return True
        if match := _PEOPLE.match(word):
            self.people = int(match.group(1))
            return True
        return False

    def moments(self, now: datetime) -> tuple[datetime, datetime]:
        if self.start is None:
            # "Now": from the current quarter hour, for an hour.
            local = now.astimezone(KST)
            start = local.replace(minute=local.minute - local.minute % 15, second=0, microsecond=0)
            if self.day != local.date():
                start = datetime.combine(self.day, time(9, 0), KST)
            return start, start + timedelta(hours=1)
        start = datetime.combine(self.day, self.start, KST)
        end = datetime.combine(self.day, self.end, KST) if self.end else start + timedelta(hours=1)
        return start, end


def _slot(words: list[str]) -> Slot:
    slot = Slot(timezone.localdate())
    for word in words:
        if not slot.read(word):
            slot.rest.append(word)
    return slot


def handle(cmd, who) -> dict:
    word, rest = _split(cmd.text)
    verb = VERBS.get(word.lower()) if word else "help"
    if verb is None:
        return ephemeral(
            _("Unknown sub-command “%(word)s”. Try `%(command)s help`.")
            % {"word": escape(word[:40]), "command": cmd.command}
        )
    try:
        return SUBCOMMANDS[verb](cmd, who, slack_text_to_plain(rest))
    except (DomainError, ValidationError, PermissionDenied) as exc:
        return ephemeral(explain(exc))


def _free(cmd, who, rest) -> dict:
    slot = _slot(rest.split())
    if slot.rest:
        raise SlackUserError(
            _("I did not understand “%(words)s”. Example: `%(example)s`.")
            % {"words": escape(" ".join(slot.rest)[:60]), "example": f"{cmd.command} free 14:00-15:00 6"}
        )
    start, end = slot.moments(timezone.now())
    if end <= start:
        raise SlackUserError(_("The end must be after the start."))
    rooms = list(free_rooms(start, end, capacity=slot.people)[: blocks.MAX_LIST])
    return ephemeral(*blocks.free_rooms_message(rooms, start, end, slot.people))


def _book(cmd, who, rest) -> dict:
    if not rest:
        open_modal(cmd.trigger_id, booking_modal_for(who))
        return ephemeral(_("Opening the booking form…"))
    name, words = _split(rest)
    room = Room.objects.filter(name=name, is_active=True).first()
    if room is None:
        names = ", ".join(Room.objects.filter(is_active=True).values_list("name", flat=True)[:15])
        raise SlackUserError(
            _("No room is called “%(name)s”. Rooms: %(rooms)s") % {"name": escape(name[:40]), "rooms": names}
        )
    slot = _slot(words.split())
    if slot.start is None:
        raise SlackUserError(
            _("Say when, e.g. `%(example)s`.") % {"example": f"{cmd.command} book {room.name} 14:00-15:00 주간 회의"}
        )
    start, end = slot.moments(timezone.now())
    title = " ".join(slot.rest) or _("Meeting")
    booking = booking_create(
        room=room, title=title, organizer=who.employee, start=start, end=end, by=who.actor(), source="slack"
    )
    return ephemeral(
        _("Booked %(room)s, %(when)s: %(title)s (#%(id)d)")
        % {"room": room.name, "when": when(start, end), "title": booking.title, "id": booking.pk}
    )


def _today(cmd, who, rest) -> dict:
    day = timezone.localdate()
    bookings = list(bookings_on(who.employee, day))
    for booking in bookings:
        booking.cancellable = can_change(who.employee.user, booking)
    return ephemeral(*blocks.my_bookings_message(bookings, day))


def cancel_by_id(who, booking_id: str) -> Booking:
    booking = Booking.objects.filter(pk=int(booking_id)).first() if booking_id.isdigit() else None
    if booking is None:
        raise SlackUserError(_("There is no booking #%(id)s.") % {"id": escape(booking_id[:12])})
    return booking_cancel(booking=booking, by=who.actor())


def _cancel(cmd, who, rest) -> dict:
    booking_id = rest.strip().lstrip("#")
    if not booking_id:
        raise SlackUserError(_("Which booking? See the numbers with `%(command)s today`.") % {"command": cmd.command})
    booking = cancel_by_id(who, booking_id)
    return ephemeral(
        _("Cancelled #%(id)d: %(room)s, %(when)s.")
        % {"id": booking.pk, "room": booking.room.name, "when": when(booking.start, booking.end)}
    )


def _help(cmd, who, rest) -> dict:
    return ephemeral(*blocks.help_message(cmd.command))


SUBCOMMANDS = {"free": _free, "book": _book, "today": _today, "cancel": _cancel, "help": _help}
