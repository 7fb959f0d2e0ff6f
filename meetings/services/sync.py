"""Applying another calendar's events (Google Calendar, ICS) to the bookings of one room.

The adapters (integrations/calendar/) turn what they read into ExternalEvent objects; this
module is the one place that decides what becomes of them, deterministically:

- an event not seen before becomes a booking (source google/ics, external id = event id,
  or ``UID@RECURRENCE-ID`` for an instance of a recurring ICS event);
- a changed event (other times, title or privacy; etag/sequence moved) moves / edits it;
- a cancelled event (or, in a full sync, one no longer listed) cancels it;
- an event whose slot is already taken by another booking is NOT applied: the booking that
  was stored first keeps the room, and a SyncConflict row records the event, the booking
  that won and why — surfaced in the admin, never silently dropped. The next sync tries
  the event again (the conflict may be gone);
- the calendar copy of a booking made in Haru (written back by Haru) is never applied: Haru
  is where such bookings change. An edit or a deletion made in the calendar is undone by a
  write-back and recorded as a SyncConflict, so it is seen, not silently reverted.

Every write goes through the booking services with a system actor (audited as the sync).
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from erp.audit.actor import Actor
from erp.core.errors import ConflictError
from erp.people.models import Employee

from ..external import ExternalEvent
from ..ics_import import events_from_ics
from ..models import SYNCED_SOURCES, Booking, CalendarSource, SourceKind, Status, SyncConflict, WriteBack
from .bookings import booking_cancel, booking_create, booking_move, booking_update_details


@dataclass
class SyncResult:
    created: int = 0
    changed: int = 0
    cancelled: int = 0
    unchanged: int = 0
    conflicts: int = 0
    skipped: list = field(default_factory=list)  # (external id, reason) of events that are not bookings

    def total(self) -> int:
        return self.created + self.changed + self.cancelled


def _organizer(source: CalendarSource, email: str, fallback) -> Employee | None:
    if email:
        found = Employee.objects.filter(user__email__iexact=email, user__is_active=True).first()
        if found is not None:
            return found
    return fallback or source.default_organizer


def _conflict(source, event: ExternalEvent, exc: Exception, kept=None) -> None:
    SyncConflict.objects.update_or_create(
        source=source,
        external_id=event.external_id[:255],
        resolved=False,
        defaults={
            "room": source.room,
            "title": event.title[:200],
            "start": event.start,
            "end": event.end,
            "kept": getattr(exc, "conflict", None) or kept,
            "detail": str(exc)[:2000],
        },
    )


def apply_events(
    source: CalendarSource, events, *, full: bool = False, organizer=None, booking_source: str = "", window=None
) -> SyncResult:
    """Apply ``events`` to ``source.room``. With ``full``, bookings of this source that the
    events no longer list are cancelled (a full listing is the whole truth — inside
    ``window`` (start, end) when the listing covered only that stretch)."""
    kind = booking_source or source.kind
    by = Actor.system(sync=f"{source.kind}:{source.pk}")
    result = SyncResult()
    seen = set()
    existing = {
        b.external_id: b
        for b in Booking.objects.filter(room=source.room, source=kind).exclude(external_id="").select_related("room")
    }
    for event in events:
        if event.owned_booking_id:
            result.conflicts += _check_owned(source, event)
            continue
        seen.add(event.external_id)
        booking = existing.get(event.external_id)
        try:
            with transaction.atomic():
                _apply_one(source, event, booking, by, result, organizer=organizer, kind=kind)
        except (ConflictError, ValidationError) as exc:
            result.conflicts += 1
            _conflict(source, event, exc, kept=booking)
    if full and source.kind == SourceKind.GOOGLE:
        # A full listing leaves deleted events out (no cancelled stubs): a booking made in
        # Haru whose written-back event is missing was deleted there.
        listed = {event.owned_booking_id for event in events if event.owned_booking_id}
        for booking in _written_back(source).exclude(pk__in=listed):
            gone = ExternalEvent(
                booking.external_id, booking.title, None, None, cancelled=True, owned_booking_id=booking.pk
            )
            result.conflicts += _check_owned(source, gone)
    if full:
        for external_id, booking in existing.items():
            outside = window is not None and (booking.end <= window[0] or booking.start >= window[1])
            if external_id not in seen and booking.status == Status.CONFIRMED and not outside:
                booking_cancel(booking=booking, by=by, reason="gone from the calendar")
                result.cancelled += 1
    return result


def request_write_back(booking: Booking) -> None:
    """(Re)queue the calendar write-back of a booking made in Haru; one row per booking."""
    row, created = WriteBack.objects.get_or_create(booking=booking)
    if not created:
        WriteBack.objects.filter(pk=row.pk).update(attempts=0, next_attempt_at=None, last_error="")
        row.save(update_fields=["queued_at"])


def _written_back(source):
    """Confirmed, current bookings made in Haru whose event is in the source's calendar."""
    return (
        Booking.objects.filter(room=source.room, status=Status.CONFIRMED, end__gte=timezone.now())
        .exclude(source__in=SYNCED_SOURCES)
        .exclude(external_id="")
        .exclude(etag="")
        .filter(write_back__isnull=True)  # a pending write-back has not reached the calendar yet
    )


def _check_owned(source, event: ExternalEvent) -> int:
    """The calendar copy of a booking made in Haru came back. Haru is where such bookings
    change, so an edit or a deletion made in the calendar is undone by the next write-back,
    and listed as a sync conflict (kept = the booking) so the room admin can tell the person
    who edited it there. Returns 1 for a conflict, else 0."""
    booking = Booking.objects.filter(pk=event.owned_booking_id, room=source.room).first()
    if booking is None:
        return 0
    if booking.status != Status.CONFIRMED:
        if not event.cancelled:  # cancelled in Haru, still there: the removal is (re)queued
            request_write_back(booking)
        return 0
    if event.cancelled:
        detail = _("Deleted in the calendar; the booking made in Haru is kept and its event is created again.")
        Booking.objects.filter(pk=booking.pk).update(etag="")  # the write-back inserts a new event
    elif (event.start, event.end, event.title or "—") != (booking.start, booking.end, booking.title or "—"):
        detail = _("Changed in the calendar; the booking made in Haru is kept and its event is set back.")
    else:
        return 0
    SyncConflict.objects.update_or_create(
        source=source,
        external_id=event.external_id[:255],
        resolved=False,
        defaults={
            "room": source.room,
            "title": event.title[:200] or booking.title[:200],
            "start": event.start or booking.start,
            "end": event.end or booking.end,
            "kept": booking,
            "detail": detail,
        },
    )
    request_write_back(booking)
    return 1


def _apply_one(source, event: ExternalEvent, booking, by, result: SyncResult, *, organizer, kind) -> None:
    if event.cancelled:
        if booking is not None and booking.status == Status.CONFIRMED:
            booking_cancel(booking=booking, by=by, reason="cancelled in the calendar")
            result.cancelled += 1
        else:
            result.unchanged += 1
        return
    if (
        booking is not None
        and booking.status == Status.RELEASED
        and (booking.start, booking.end)
        == (
            event.start,
            event.end,
        )
    ):
        # Released here as a no-show, still listed there (the write-back removing the room is
        # pending): the release stands; the slot is not booked again.
        result.unchanged += 1
        return
    if booking is None or booking.status != Status.CONFIRMED:
        person = _organizer(source, event.organizer_email, organizer)
        if person is None:
            raise ValidationError("No organizer: set the source's organizer of foreign events.")
        if booking is not None:
            # Cancelled here earlier, listed again there: the old row keeps its history; the
            # calendar's event becomes a fresh booking under the same id.
            Booking.objects.filter(pk=booking.pk).update(external_id="")
        booking_create(
            room=source.room,
            title=event.title or "—",
            organizer=person,
            start=event.start,
            end=event.end,
            is_private=event.is_private,
            source=kind,
            external_id=event.external_id,
            etag=event.etag,
            sequence=event.sequence,
            by=by,
        )
        result.created += 1
        return
    if (booking.start, booking.end, booking.title, booking.is_private) == (
        event.start,
        event.end,
        event.title or "—",
        event.is_private,
    ):
        result.unchanged += 1
        return
    if (booking.start, booking.end) != (event.start, event.end):
        booking = booking_move(booking=booking, start=event.start, end=event.end, by=by)
    booking_update_details(booking=booking, title=event.title or "—", is_private=event.is_private, by=by)
    Booking.objects.filter(pk=booking.pk).update(etag=event.etag, sequence=event.sequence)
    result.changed += 1


# How far an ICS import reaches: a little past (late edits), a year ahead.
ICS_PAST_DAYS = 30
ICS_AHEAD_DAYS = 365


def ics_import(source: CalendarSource, data: bytes, *, organizer=None, now: datetime | None = None) -> SyncResult:
    """Apply a whole ICS file to the source's room (a full listing for the import window).

    Malformed input raises ValidationError before anything is touched.
    """
    now = now or timezone.now()
    window = (now - timedelta(days=ICS_PAST_DAYS), now + timedelta(days=ICS_AHEAD_DAYS))
    events = events_from_ics(data, start=window[0], end=window[1])
    return apply_events(source, events, full=True, organizer=organizer, booking_source="ics", window=window)
