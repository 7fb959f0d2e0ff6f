"""Every write to a booking: create, move, change attendees, cancel, decline, check in, release.

Each service is atomic, records an audit event and sends its domain signal inside the
transaction (meetings/signals.py). The no-double-booking rule is checked here on every
database (with the configured buffer) and, on PostgreSQL, enforced by the exclusion
constraint ``meetings_booking_no_overlap``: when two requests race past the check, the
loser's INSERT/UPDATE fails there and gets the same BookingConflict as a checked one.

An exclusion constraint is checked after the row is in the index, so racing writers can each
find the other's uncommitted row and wait for it: a deadlock, which PostgreSQL breaks by failing
one of them; with twenty writers the survivors kept finding the retried rows and deadlocked
again (CI). So a write first locks its room's row (FOR NO KEY UPDATE: inserts elsewhere, whose
foreign-key check takes KEY SHARE, are not held up): writers of one room reach the constraint
one at a time, and each sees the one before it committed. A writer that does not take the lock
(a script, the shell) can still deadlock with one that does; the one PostgreSQL fails writes its
row again and gets the other writer's outcome.
"""

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from erp.audit.actor import Actor, as_actor
from erp.audit.services import audit_record, diff, snapshot
from erp.core.errors import ConflictError
from erp.people.selectors import employee_of

from .. import signals
from ..models import NO_SHOW_EXEMPT_SOURCES, SYNCED_SOURCES, Booking, BookingSource, MeetingSettings, Room, Status
from ..selectors import can_book, find_conflict, is_room_admin
from .exceptions import remember_exception
from .rules import BookingConflict, check_may_change, check_room, check_times, clean_title

EXCLUSION_CONSTRAINT = "meetings_booking_no_overlap"
PLACE_MAX_LENGTH = 100
DEADLOCK_SQLSTATE = "40P01"
# Each retry follows a deadlock PostgreSQL broke by failing this writer (only possible beside a
# writer that bypassed the room lock, below): one or two are plenty.
DEADLOCK_RETRIES = 3
_RACE_MESSAGE = gettext_lazy("Someone booked this room at the same moment. Please try again.")
_MOVE_FIELDS = ("room", "start", "end")


def booking_source(actor: Actor) -> str:
    return actor.source if actor.source in BookingSource.values else BookingSource.ADMIN


def _buffer(source: str) -> timedelta:
    # A buffer is a courtesy between bookings made here; another calendar's facts are not refused for it.
    if source in SYNCED_SOURCES:
        return timedelta(0)
    return timedelta(minutes=MeetingSettings.current().buffer_minutes)


def _refuse_conflict(room, start, end, *, source, actor, exclude=None) -> None:
    conflict = find_conflict(room, start, end, buffer=_buffer(source), exclude=exclude)
    if conflict is not None:
        raise BookingConflict(conflict=conflict, room=room, start=start, end=end, user=actor.user, exclude=exclude)


def _is_deadlock(exc: OperationalError) -> bool:
    return getattr(exc.__cause__, "sqlstate", None) == DEADLOCK_SQLSTATE


def _lock_room(room_id) -> None:
    """Held until the transaction ends; a no-op on SQLite (one writer at a time there anyway)."""
    list(Room.objects.select_for_update(no_key=True).filter(pk=room_id).values_list("pk", flat=True))


def _save_retrying_deadlocks(booking: Booking, **save_kwargs) -> None:
    for attempt in range(DEADLOCK_RETRIES + 1):
        try:
            with transaction.atomic():  # a savepoint: a failed attempt leaves the outer transaction usable
                _lock_room(booking.room_id)
                booking.save(**save_kwargs)
            return
        except OperationalError as exc:
            if not _is_deadlock(exc):
                raise
            if attempt == DEADLOCK_RETRIES:
                raise ConflictError(_RACE_MESSAGE) from exc


def _save_guarded(booking: Booking, *, actor, **save_kwargs) -> None:
    """Save in a savepoint; the exclusion constraint's refusal becomes a BookingConflict."""
    try:
        _save_retrying_deadlocks(booking, **save_kwargs)
    except IntegrityError as exc:
        if EXCLUSION_CONSTRAINT not in str(exc):
            raise
        conflict = find_conflict(booking.room, booking.start, booking.end, exclude=booking.pk)
        if conflict is None:  # the winner was itself rolled back meanwhile: still a clear refusal
            raise ConflictError(_RACE_MESSAGE) from exc
        raise BookingConflict(
            conflict=conflict, room=booking.room, start=booking.start, end=booking.end, user=actor.user
        ) from exc


def _clean_place(place: str) -> str:
    place = " ".join((place or "").split())
    if len(place) > PLACE_MAX_LENGTH:
        message = _("The client site is too long (at most %(max)d characters).")
        raise ValidationError(message % {"max": PLACE_MAX_LENGTH})
    return place


@transaction.atomic
def booking_create(
    *,
    room: Room | None,
    title: str,
    organizer,
    start: datetime,
    end: datetime,
    by,
    attendees=(),
    is_private: bool = False,
    client_place: str = "",
    source: str | None = None,
    series=None,
    original_start=None,
    external_id: str = "",
    etag: str = "",
    sequence: int = 0,
) -> Booking:
    """Book ``room`` for [start, end). Refuses (ValidationError) bad input and (BookingConflict)
    a taken slot. Sends booking_created."""
    actor = as_actor(by)
    source = source or booking_source(actor)
    if actor.user is not None and not can_book(actor.user):
        raise PermissionDenied(_("Only employees can book rooms."))
    if organizer is None:
        raise ValidationError(_("A booking needs an organizer."))
    check_room(room)
    booking = Booking(
        room=room,
        title=clean_title(title),
        organizer=organizer,
        start=start,
        end=end,
        is_private=bool(is_private),
        client_place=_clean_place(client_place),
        source=source,
        series=series,
        original_start=original_start,
        external_id=external_id or "",
        etag=etag or "",
        sequence=sequence or 0,
    )
    check_times(start, end, source=source, allow_past=actor.user is None)
    _refuse_conflict(room, start, end, source=source, actor=actor)
    _save_guarded(booking, actor=actor)
    people = [person for person in attendees if person.pk != organizer.pk]
    if people:
        booking.attendees.set(people)
    audit_record(booking, "created", by=actor, changes=diff({}, snapshot(booking, ("room", "title", "start", "end"))))
    signals.booking_created.send(sender=Booking, booking=booking, by=actor)
    return booking


def _locked(booking: Booking) -> Booking:
    return Booking.objects.select_for_update().select_related("room", "organizer").get(pk=booking.pk)


def _require_confirmed(booking: Booking) -> None:
    if booking.status != Status.CONFIRMED:
        raise ConflictError(
            _("This booking is %(status)s and can no longer be changed.") % {"status": booking.get_status_display()}
        )


@transaction.atomic
def booking_move(
    *,
    booking: Booking,
    by,
    start: datetime | None = None,
    end: datetime | None = None,
    room: Room | None = None,
    with_series: bool = False,
) -> Booking:
    """Move to another time and/or room. Sends booking_moved with the changed fields.

    An occurrence of a recurring meeting moved on its own becomes an exception of the series;
    ``with_series`` is for the whole series moving (series_update): the occurrence stays a
    regular one, at its new time."""
    actor = as_actor(by)
    booking = _locked(booking)
    check_may_change(actor, booking)
    _require_confirmed(booking)
    before = snapshot(booking, _MOVE_FIELDS)
    if room is not None:
        check_room(room)
        booking.room = room
    booking.start = start or booking.start
    booking.end = end or booking.end
    changes = diff(before, snapshot(booking, _MOVE_FIELDS))
    if not changes:
        return booking
    check_times(booking.start, booking.end, source=booking.source if actor.user is None else booking_source(actor))
    _refuse_conflict(booking.room, booking.start, booking.end, source=booking.source, actor=actor, exclude=booking.pk)
    if booking.series_id and with_series:
        booking.original_start = booking.start
    elif booking.series_id and ("start" in changes or "end" in changes):
        remember_exception(booking, moved=True)
    booking.checked_in_at = None  # a check-in was for the old slot
    _save_guarded(booking, actor=actor)
    audit_record(booking, "moved", by=actor, changes=changes)
    signals.booking_moved.send(sender=Booking, booking=booking, changes=changes, by=actor)
    return booking


@transaction.atomic
def booking_update_details(
    *, booking: Booking, by, title: str | None = None, is_private: bool | None = None, client_place: str | None = None
) -> Booking:
    """Title, privacy and client site (no signal for Slack: the time and room did not change)."""
    actor = as_actor(by)
    booking = _locked(booking)
    check_may_change(actor, booking)
    _require_confirmed(booking)
    fields = ("title", "is_private", "client_place")
    before = snapshot(booking, fields)
    if title is not None:
        booking.title = clean_title(title)
    if is_private is not None:
        booking.is_private = bool(is_private)
    if client_place is not None:
        booking.client_place = _clean_place(client_place)
    changes = diff(before, snapshot(booking, fields))
    if changes:
        booking.save()
        audit_record(booking, "updated", by=actor, changes=changes)
    return booking


@transaction.atomic
def booking_change_attendees(*, booking: Booking, attendees, by) -> Booking:
    """Replace the attendee list. Sends booking_attendees_changed with who was added/removed."""
    actor = as_actor(by)
    booking = _locked(booking)
    check_may_change(actor, booking)
    _require_confirmed(booking)
    current = {person.pk: person for person in booking.attendees.all()}
    wanted = {person.pk: person for person in attendees if person.pk != booking.organizer_id}
    added = [wanted[pk] for pk in wanted.keys() - current.keys()]
    removed = [current[pk] for pk in current.keys() - wanted.keys()]
    if not added and not removed:
        return booking
    booking.attendees.set(wanted.values())
    audit_record(
        booking,
        "attendees_changed",
        by=actor,
        changes={"attendees": [sorted(str(p) for p in current.values()), sorted(str(p) for p in wanted.values())]},
    )
    signals.booking_attendees_changed.send(sender=Booking, booking=booking, added=added, removed=removed, by=actor)
    return booking


@transaction.atomic
def booking_cancel(*, booking: Booking, by, reason: str = "") -> Booking:
    """Cancel (the row stays, status cancelled). Idempotent. Sends booking_cancelled."""
    actor = as_actor(by)
    booking = _locked(booking)
    check_may_change(actor, booking)
    if booking.status == Status.CANCELLED:
        return booking
    _require_confirmed(booking)
    booking.status = Status.CANCELLED
    booking.cancelled_at = timezone.now()
    booking.save(update_fields=["status", "cancelled_at", "updated_at"])
    if booking.series_id:
        remember_exception(booking, moved=False)
    changes = {"status": [Status.CONFIRMED, Status.CANCELLED]}
    audit_record(booking, "cancelled", by=actor, changes=changes, reason=reason)
    signals.booking_cancelled.send(sender=Booking, booking=booking, reason=reason, by=actor)
    return booking


@transaction.atomic
def booking_decline(*, booking: Booking, employee, by) -> Booking:
    """An attendee says they will not come: they leave the attendee list."""
    actor = as_actor(by)
    booking = _locked(booking)
    if not booking.attendees.filter(pk=employee.pk).exists():
        raise ValidationError(_("You are not on the attendee list of this meeting."))
    booking.attendees.remove(employee)
    audit_record(booking, "declined", by=actor, changes={"attendees": [str(employee), None]})
    signals.attendee_declined.send(sender=Booking, booking=booking, employee=employee, by=actor)
    return booking


def _takes_part(user, booking: Booking) -> bool:
    employee = employee_of(user)
    if employee is not None and (
        employee.pk == booking.organizer_id or booking.attendees.filter(pk=employee.pk).exists()
    ):
        return True
    return is_room_admin(user)


@transaction.atomic
def booking_check_in(*, booking: Booking, by, now: datetime | None = None) -> Booking:
    """Someone taking part says the meeting happens (stops the no-show release). Idempotent."""
    actor = as_actor(by)
    booking = _locked(booking)
    if actor.user is not None and not _takes_part(actor.user, booking):
        raise PermissionDenied(_("Only the organizer or an attendee can check in."))
    _require_confirmed(booking)
    if booking.checked_in_at:
        return booking
    now = now or timezone.now()
    rules = MeetingSettings.current()
    if now < booking.start - timedelta(minutes=max(rules.check_in_prompt_minutes, 15)):
        raise ValidationError(_("Check-in opens shortly before the meeting starts."))
    if now >= booking.end:
        raise ValidationError(_("This meeting is already over."))
    booking.checked_in_at = now
    booking.save(update_fields=["checked_in_at", "updated_at"])
    audit_record(booking, "checked_in", by=actor)
    signals.booking_checked_in.send(sender=Booking, booking=booking, by=actor)
    return booking


@transaction.atomic
def booking_release(*, booking: Booking, by, now: datetime | None = None) -> Booking | None:
    """Free the room of a no-show: confirmed, nobody checked in, N minutes after the start.

    Returns None (and changes nothing) when the booking no longer qualifies, so a late task
    never releases a meeting someone checked in to. Sends booking_released.
    """
    actor = as_actor(by)
    booking = _locked(booking)
    now = now or timezone.now()
    rules = MeetingSettings.current()
    due = booking.start + timedelta(minutes=rules.release_after_minutes)
    if booking.status != Status.CONFIRMED or booking.checked_in_at or now < due or now >= booking.end:
        return None
    booking.status = Status.RELEASED
    booking.save(update_fields=["status", "updated_at"])
    audit_record(booking, "released", by=actor, changes={"status": [Status.CONFIRMED, Status.RELEASED]})
    signals.booking_released.send(sender=Booking, booking=booking, by=actor)
    return booking


def release_no_shows(*, now: datetime | None = None) -> int:
    """Release every booking whose check-in window has passed without a check-in."""
    rules = MeetingSettings.current()
    if not rules.check_in_required:
        return 0
    now = now or timezone.now()
    due = Booking.objects.filter(
        status=Status.CONFIRMED,
        checked_in_at__isnull=True,
        start__lte=now - timedelta(minutes=rules.release_after_minutes),
        start__gt=now - timedelta(days=1),
        end__gt=now,
    ).exclude(source__in=NO_SHOW_EXEMPT_SOURCES)
    system = Actor.system(job="meetings.release_no_shows")
    return sum(booking_release(booking=booking, by=system, now=now) is not None for booking in due.order_by("start"))
