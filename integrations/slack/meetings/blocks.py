"""Meeting-room messages, modals and Home section: pure Block Kit builders (no queries).

Channel messages never show a private booking's title (``channel_title``); DMs to the
people taking part do. Times are KST, written by meetings.services.when.
"""

import json
from datetime import date, datetime

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from erp.core.dates import day_label
from erp.workcalendar.calendar import KST
from integrations.slack.core.blocks import (
    actions,
    button,
    context,
    header,
    link,
    plain,
    portal_url,
    private_metadata,
    safe_mrkdwn,
    section,
    shows,
    user_mention,
)
from integrations.slack.core.privacy.classes import INTERNAL, PUBLIC
from meetings.selectors import channel_title
from meetings.services import when

DECLINE = "meetings.decline"
CHECK_IN = "meetings.check_in"
CANCEL = "meetings.cancel"
BOOK_ROOM = "meetings.book_room"  # a free room's button: opens the modal prefilled
OPEN_MODAL = "meetings.open_modal"
BOOK_MODAL = "meetings.book"
# Modal blocks (also the keys of inline errors).
ROOM, DAY, START, END, TITLE, ATTENDEES, PRIVATE = "room", "day", "start", "end", "title", "attendees", "private"
MAX_LIST = 20


def _url(booking) -> str:
    return portal_url(f"/meetings/bookings/{booking.pk}/")


def _room_line(booking) -> str:
    return _("%(room)s (%(floor)s)") % {"room": booking.room.name, "floor": booking.room.floor}


# --- the room notifier (channel) ----------------------------------------------------------


@shows(
    kinds=("meetings.room_notice",),
    is_private=PUBLIC,
    room=PUBLIC,
    start=PUBLIC,
    end=PUBLIC,
    status=PUBLIC,
    title=INTERNAL,
    organizer=INTERNAL,
)
def room_notice(booking) -> tuple[str, list]:
    """The channel post of a booking; updated in place on every change (chat.update)."""
    title = channel_title(booking)
    facts = {"room": _room_line(booking), "when": when(booking.start, booking.end), "title": title}
    if booking.status == "cancelled":
        text = _("Cancelled: %(room)s, %(when)s · %(title)s") % facts
    elif booking.status == "released":
        text = _("Released (nobody checked in): %(room)s, %(when)s") % facts
    else:
        text = _("Booked: %(room)s, %(when)s · %(title)s") % facts
    organizer = booking.organizer
    line = safe_mrkdwn(_("Organizer: %(name)s")) % {
        "name": user_mention(organizer.slack_user_id, organizer.display_name)
    }
    strike = "~" if booking.status != "confirmed" else ""
    blocks = [
        section(f"{strike}*{safe_mrkdwn(text)}*{strike}"),
        context(line, link(_url(booking), _("Open in Haru"))),
    ]
    return text, blocks


@shows(kinds=("meetings.changed",), room=PUBLIC, start=PUBLIC, end=PUBLIC, title=INTERNAL)
def change_reply(booking, changes: dict) -> tuple[str, list]:
    """The thread reply under the booking's post: what moved."""
    before_start, before_end = changes.get("start", [booking.start])[0], changes.get("end", [booking.end])[0]
    parts = []
    if "start" in changes or "end" in changes:
        parts.append(
            _("Time changed: %(old)s → %(new)s")
            % {"old": when(_moment(before_start), _moment(before_end)), "new": when(booking.start, booking.end)}
        )
    if "room" in changes:
        parts.append(_("Room changed: %(old)s → %(new)s") % {"old": changes["room"][0], "new": booking.room.name})
    text = " ".join(parts) or _("The booking was changed.")
    return text, [section(safe_mrkdwn(text))]


def _moment(value) -> datetime:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


@shows(kinds=("meetings.cancelled",), status=PUBLIC, cancelled_by=INTERNAL)
def cancel_reply(booking) -> tuple[str, list]:
    text = _("Cancelled: %(room)s is free %(when)s.") % {
        "room": booking.room.name,
        "when": when(booking.start, booking.end),
    }
    return text, [section(safe_mrkdwn(text))]


@shows(kinds=("meetings.released",), room=PUBLIC, minutes=PUBLIC)
def released_reply(booking, minutes: int) -> tuple[str, list]:
    text = ngettext(
        "Nobody checked in within %(minutes)d minute: %(room)s is free again until %(end)s.",
        "Nobody checked in within %(minutes)d minutes: %(room)s is free again until %(end)s.",
        minutes,
    ) % {"minutes": minutes, "room": booking.room.name, "end": booking.end.astimezone(KST).strftime("%H:%M")}
    return text, [section(f":white_check_mark: {safe_mrkdwn(text)}")]


# --- DMs ----------------------------------------------------------------------------------


def _facts(booking) -> list[str]:
    return [
        _("Time: %(when)s") % {"when": when(booking.start, booking.end)},
        _("Room: %(room)s") % {"room": _room_line(booking)},
        _("Organizer: %(name)s") % {"name": booking.organizer.display_name},
    ]


@shows(kinds=("meetings.invitation",), room=PUBLIC, start=PUBLIC, end=PUBLIC, title=INTERNAL, organizer=INTERNAL)
def invitation_dm(booking) -> tuple[str, list]:
    """To an attendee: the meeting (title included: they take part) and a decline button."""
    text = _("You are invited: %(title)s") % {"title": booking.title}
    facts = _facts(booking)
    blocks = [
        section(f"*{safe_mrkdwn(text)}*\n" + "\n".join(safe_mrkdwn(f) for f in facts)),
        actions(
            button(_("Decline"), action_id=DECLINE, value=str(booking.pk), style="danger"),
            button(_("Open in Haru"), action_id="portal.open", url=_url(booking)),
        ),
    ]
    return text + "\n" + "\n".join(facts), blocks


@shows(kinds=("meetings.moved",), room=PUBLIC, start=PUBLIC, end=PUBLIC, title=INTERNAL)
def moved_dm(booking) -> tuple[str, list]:
    text = _("Meeting changed: %(title)s") % {"title": booking.title}
    facts = _facts(booking)
    return text + "\n" + "\n".join(facts), [section(f"*{safe_mrkdwn(text)}*\n" + "\n".join(map(safe_mrkdwn, facts)))]


@shows(kinds=("meetings.cancelled",), room=PUBLIC, start=PUBLIC, title=INTERNAL)
def cancelled_dm(booking) -> tuple[str, list]:
    text = _("Meeting cancelled: %(title)s (%(when)s, %(room)s)") % {
        "title": booking.title,
        "when": when(booking.start, booking.end),
        "room": booking.room.name,
    }
    return text, [section(safe_mrkdwn(text))]


@shows(kinds=("meetings.declined",), start=PUBLIC, title=INTERNAL, attendee=INTERNAL)
def declined_dm(booking, name: str) -> tuple[str, list]:
    text = _("%(name)s declined “%(title)s” (%(when)s).") % {
        "name": name,
        "title": booking.title,
        "when": when(booking.start, booking.end),
    }
    return text, [section(safe_mrkdwn(text))]


@shows(kinds=("meetings.check_in",), room=PUBLIC, start=PUBLIC, minutes=PUBLIC, title=INTERNAL)
def check_in_dm(booking, minutes: int) -> tuple[str, list]:
    """Shortly before the start: check in, or the room is released N minutes after the start."""
    text = ngettext(
        "%(title)s starts at %(time)s in %(room)s. Check in, or the room is released "
        "%(minutes)d minute after the start.",
        "%(title)s starts at %(time)s in %(room)s. Check in, or the room is released "
        "%(minutes)d minutes after the start.",
        minutes,
    ) % {
        "title": booking.title,
        "time": booking.start.astimezone(KST).strftime("%H:%M"),
        "room": booking.room.name,
        "minutes": minutes,
    }
    blocks = [
        section(safe_mrkdwn(text)),
        actions(button(pgettext("meeting", "Check in"), action_id=CHECK_IN, value=str(booking.pk), style="primary")),
    ]
    return text, blocks


@shows(kinds=("meetings.released",), room=PUBLIC, start=PUBLIC, title=INTERNAL)
def released_dm(booking) -> tuple[str, list]:
    text = _("Nobody checked in, so %(room)s was released: %(title)s (%(when)s).") % {
        "room": booking.room.name,
        "title": booking.title,
        "when": when(booking.start, booking.end),
    }
    return text, [section(safe_mrkdwn(text))]


def checked_in_text(booking) -> str:
    return _("Checked in: %(title)s, %(room)s. The room stays yours.") % {
        "title": booking.title,
        "room": booking.room.name,
    }


# --- command answers ----------------------------------------------------------------------


def slot_value(room_id: int, start: datetime, end: datetime) -> str:
    return json.dumps({"r": room_id, "s": start.isoformat(), "e": end.isoformat()}, separators=(",", ":"))


def free_rooms_message(rooms, start: datetime, end: datetime, people: int) -> tuple[str, list]:
    facts = {"when": when(start, end), "count": people}
    if not rooms:
        text = (
            ngettext(
                "No room for %(count)d person is free %(when)s.",
                "No room for %(count)d people is free %(when)s.",
                people,
            )
            % facts
        )
        return text, [section(safe_mrkdwn(text))]
    title = (
        ngettext("Free rooms for %(count)d person, %(when)s", "Free rooms for %(count)d people, %(when)s", people)
        % facts
    )
    blocks = [section(f"*{safe_mrkdwn(title)}*")]
    lines = [title]
    for room in rooms[:MAX_LIST]:
        seats = ngettext("%(count)d seat", "%(count)d seats", room.capacity) % {"count": room.capacity}
        line = f"{room.name} · {room.floor} · {seats}" + (f" · {room.equipment}" if room.equipment else "")
        lines.append(line)
        blocks.append(
            section(
                safe_mrkdwn(line),
                accessory=button(_("Book"), action_id=BOOK_ROOM, value=slot_value(room.pk, start, end)),
            )
        )
    return "\n".join(lines), blocks


def my_bookings_message(bookings, day: date) -> tuple[str, list]:
    heading = _("My meetings on %(day)s") % {"day": day_label(day)}
    if not bookings:
        text = _("You have no meetings on %(day)s.") % {"day": day_label(day)}
        return text, [section(safe_mrkdwn(text))]
    blocks = [section(f"*{safe_mrkdwn(heading)}*")]
    lines = [heading]
    for booking in bookings[:MAX_LIST]:
        line = _("#%(id)d %(time)s %(title)s · %(room)s") % {
            "id": booking.pk,
            "time": f"{booking.start.astimezone(KST):%H:%M}~{booking.end.astimezone(KST):%H:%M}",
            "title": booking.title,
            "room": booking.room.name,
        }
        lines.append(line)
        accessory = None
        if getattr(booking, "cancellable", False):
            accessory = button(_("Cancel booking"), action_id=CANCEL, value=str(booking.pk), style="danger")
        blocks.append(section(safe_mrkdwn(line), accessory=accessory))
    return "\n".join(lines), blocks


def help_message(command: str) -> tuple[str, list]:
    # The words are the command's own (English and Korean both work), so they are not translated.
    rows = [
        (
            "free [tomorrow] [14:00-15:00] [6] | 빈방 [내일] [14:00-15:00] [6명]",
            _("free rooms now or at a time for N people"),
        ),
        (
            "book ROOM 14:00-15:00 TITLE | 예약 회의실 14:00-15:00 제목",
            _("book at once; without words it opens the booking form"),
        ),
        ("today | 오늘", _("my meetings today, with a cancel button each")),
        ("cancel ID | 취소 ID", _("cancel one of my bookings by its number")),
        ("help | 도움말", _("this list")),
    ]
    lines = [f"`{safe_mrkdwn(command, 40)} {safe_mrkdwn(usage, 80)}` {safe_mrkdwn(what, 200)}" for usage, what in rows]
    title = _("Meeting rooms in Slack")
    return title + "\n" + "\n".join(lines), [header(title), section("\n".join(lines))]


# --- the booking modal --------------------------------------------------------------------


def _input(block_id: str, label, element: dict, *, optional: bool = False) -> dict:
    return {
        "type": "input",
        "block_id": block_id,
        "label": plain(label, 2000),
        "element": element,
        "optional": optional,
    }


def booking_modal(rooms, *, room_id=None, start: datetime | None = None, end: datetime | None = None, metadata=None):
    """Room, date, start/end, title, attendees, privacy (callback meetings.book)."""
    options = [
        {"text": plain(f"{room.name} · {room.floor} · {room.capacity}", 75), "value": str(room.pk)}
        for room in rooms[:100]
    ]
    room_select = {"type": "static_select", "action_id": ROOM, "options": options or [_no_room_option()]}
    chosen = next((o for o in options if o["value"] == str(room_id)), None)
    if chosen:
        room_select["initial_option"] = chosen
    day = {"type": "datepicker", "action_id": DAY}
    start_picker = {"type": "timepicker", "action_id": START}
    end_picker = {"type": "timepicker", "action_id": END}
    if start:
        local = start.astimezone(KST)
        day["initial_date"] = local.date().isoformat()
        start_picker["initial_time"] = local.strftime("%H:%M")
    if end:
        end_picker["initial_time"] = end.astimezone(KST).strftime("%H:%M")
    privacy = {
        "type": "checkboxes",
        "action_id": PRIVATE,
        "options": [{"text": plain(_("Hide the title from others"), 75), "value": "private"}],
    }
    return {
        "type": "modal",
        "callback_id": BOOK_MODAL,
        "title": plain(_("Book a room"), 24),
        "submit": plain(_("Book"), 24),
        "close": plain(pgettext("dismiss a modal", "Close"), 24),
        "private_metadata": private_metadata(metadata or {}),
        "blocks": [
            _input(ROOM, _("Room"), room_select),
            _input(DAY, _("Date"), day),
            _input(START, _("Start"), start_picker),
            _input(END, _("End"), end_picker),
            _input(TITLE, _("Title"), {"type": "plain_text_input", "action_id": TITLE, "max_length": 200}),
            _input(ATTENDEES, _("Attendees"), {"type": "multi_users_select", "action_id": ATTENDEES}, optional=True),
            _input(PRIVATE, _("Privacy"), privacy, optional=True),
        ],
    }


def _no_room_option() -> dict:
    return {"text": plain(_("No room is bookable"), 75), "value": "none"}


def notice_modal(text: str) -> dict:
    return {
        "type": "modal",
        "title": plain(_("Meeting rooms"), 24),
        "close": plain(pgettext("dismiss a modal", "Close"), 24),
        "blocks": [section(safe_mrkdwn(text))],
    }


# --- the daily agenda and the Home tab ----------------------------------------------------


@shows(kinds=("meetings.agenda",), rooms=PUBLIC, times=PUBLIC, titles=INTERNAL, organizers=INTERNAL)
def agenda_post(*, day: date, label: str, bookings) -> tuple[str, list]:
    """One channel's rooms today: time, room, title (private ones as "Booked"), organizer."""
    title = _("%(where)s · meetings on %(day)s") % {"where": label, "day": day_label(day)}
    lines = [
        f"{b.start.astimezone(KST):%H:%M}~{b.end.astimezone(KST):%H:%M} {b.room.name} · "
        f"{channel_title(b)} ({b.organizer.display_name})"
        for b in bookings
    ]
    sections = [section(safe_mrkdwn("\n".join(lines[i : i + 25]))) for i in range(0, len(lines), 25)][:45]
    return title + "\n" + "\n".join(lines), [header(title), *sections]


def home_section(bookings, day: date) -> list[dict]:
    heading = _("My meetings today")
    blocks = [section(f"*{safe_mrkdwn(heading)}*")]
    if bookings:
        for booking in bookings[:10]:
            line = f"{booking.start.astimezone(KST):%H:%M}~{booking.end.astimezone(KST):%H:%M} · {booking.room.name} · "
            blocks.append(section(safe_mrkdwn(line + booking.title)))
    else:
        blocks.append(context(safe_mrkdwn(_("No meetings today."))))
    blocks.append(actions(button(_("Book a room"), action_id=OPEN_MODAL, value="home", style="primary")))
    return blocks
