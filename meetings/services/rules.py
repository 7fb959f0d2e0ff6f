"""The booking rules every write checks, and the conflict error that explains a refusal."""

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from erp.core.dates import day_label, span_label
from erp.core.errors import ConflictError
from erp.workcalendar.calendar import KST, get_calendar

from ..models import SYNCED_SOURCES, Booking, MeetingSettings, Room
from ..selectors import MAX_SPAN, can_change, free_rooms, nearest_free_slot, shown_title

TITLE_MAX_LENGTH = 200
# Bookings from people may start this long in the past (a form submitted at 10:00:30 for 10:00).
_PAST_GRACE = timedelta(minutes=5)


def when(start: datetime, end: datetime) -> str:
    """``12월 3일 (목) 14:00~15:00`` in KST (the end's date when it is another day)."""
    return span_label(start, end)


def taken_sentence(conflict: Booking, room: Room, user=None) -> str:
    """ "Room is already booked at that time: “title” by organizer (when)." (private titles
    hidden from ``user`` unless they may see them)."""
    return _("%(room)s is already booked at that time: “%(title)s” by %(organizer)s (%(when)s).") % {
        "room": room.name,
        "title": shown_title(user, conflict) if user is not None else conflict.title,
        "organizer": conflict.organizer.display_name,
        "when": when(conflict.start, conflict.end),
    }


class BookingConflict(ConflictError):
    """The slot is taken: names the colliding booking, the nearest free slot, free rooms."""

    code = "booking_conflict"

    def __init__(self, *, conflict: Booking, room: Room, start: datetime, end: datetime, user=None, exclude=None):
        self.conflict = conflict
        self.suggested = nearest_free_slot(room, start, end, exclude=exclude)
        self.free_rooms = list(free_rooms(start, end, capacity=room.capacity, exclude_room=room)[:3])
        parts = [taken_sentence(conflict, room, user)]
        if self.suggested:
            parts.append(_("Nearest free slot in this room: %(when)s.") % {"when": when(*self.suggested)})
        if self.free_rooms:
            parts.append(
                _("Free at the requested time: %(rooms)s.") % {"rooms": ", ".join(r.name for r in self.free_rooms)}
            )
        super().__init__(" ".join(parts))


def check_room(room: Room | None) -> None:
    if room is None:
        raise ValidationError(_("Choose a room."), code="unknown_room")
    if not room.is_active:
        raise ValidationError(_("%(room)s is not bookable at the moment.") % {"room": room.name}, code="inactive")


def clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError(_("Give the meeting a title."), code="title")
    if len(title) > TITLE_MAX_LENGTH:
        raise ValidationError(
            _("The title is too long (at most %(max)d characters).") % {"max": TITLE_MAX_LENGTH}, code="title"
        )
    return title


def check_times(
    start: datetime, end: datetime, *, source: str, now: datetime | None = None, allow_past: bool = False
) -> None:
    """Zero-length, reversed, too long, in the past, outside opening hours, on a day off.

    Bookings mirrored from another calendar (Google, ICS) only need to be a real interval no
    longer than a day: they are facts of that calendar, recorded as they are. ``allow_past``
    is for the system recording history (demo data, an admin's import), never for people.
    """
    if start is None or end is None or timezone.is_naive(start) or timezone.is_naive(end):
        raise ValidationError(_("Give a start and an end time."), code="times")
    if end <= start:
        raise ValidationError(_("The end must be after the start."), code="reversed")
    if end - start > MAX_SPAN:
        raise ValidationError(_("A booking cannot be longer than a day."), code="too_long")
    if source in SYNCED_SOURCES:
        return
    rules = MeetingSettings.current()
    if end - start > timedelta(minutes=rules.max_duration_minutes):
        raise ValidationError(
            _("A booking can be at most %(hours)s hours long.") % {"hours": f"{rules.max_duration_minutes / 60:g}"},
            code="too_long",
        )
    now = now or timezone.now()
    if not allow_past and (end <= now or start < now - _PAST_GRACE):
        raise ValidationError(_("That time has already passed."), code="past")
    local_start, local_end = start.astimezone(KST), end.astimezone(KST)
    day = local_start.date()
    if not rules.allow_days_off:
        holiday = get_calendar().holiday_name(day)
        if holiday:
            raise ValidationError(
                _("%(day)s is a holiday (%(name)s); rooms cannot be booked.")
                % {"day": day_label(day), "name": holiday},
                code="day_off",
            )
        if not get_calendar().is_working_day(day):
            raise ValidationError(
                _("%(day)s is not a working day; rooms cannot be booked.") % {"day": day_label(day)},
                code="day_off",
            )
    opens, closes = rules.opens_at, rules.closes_at
    if local_end.date() != day or local_start.time() < opens or local_end.time() > closes:
        raise ValidationError(
            _("Rooms can be booked between %(opens)s and %(closes)s.")
            % {"opens": opens.strftime("%H:%M"), "closes": closes.strftime("%H:%M")},
            code="hours",
        )


def check_may_change(actor, booking: Booking) -> None:
    if actor.user is None:
        return  # the system (sync, no-show release) acts on every booking
    if not can_change(actor.user, booking):
        raise PermissionDenied(_("Only the organizer or a room admin can change this booking."))
