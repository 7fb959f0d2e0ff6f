"""The booking services: no double booking, bad input, conflict explanations, permissions."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from erp.audit.actor import Actor
from erp.audit.models import AuditEvent
from erp.workcalendar.models import CompanyDayOff
from meetings import signals
from meetings.models import Booking, Status
from meetings.selectors import free_rooms, shown_title
from meetings.services import (
    BookingConflict,
    booking_cancel,
    booking_change_attendees,
    booking_check_in,
    booking_move,
    booking_release,
    release_no_shows,
)

from .conftest import kst, thursday

pytestmark = pytest.mark.django_db


def test_a_booking_is_stored_audited_and_signalled(book, people):
    seen = []
    signals.booking_created.connect(lambda booking, **kw: seen.append(booking), weak=False, dispatch_uid="t")
    try:
        booking = book(attendees=[people["attendee"]])
    finally:
        signals.booking_created.disconnect(dispatch_uid="t")
    assert seen == [booking]
    assert booking.status == Status.CONFIRMED and booking.source == "web"
    assert list(booking.attendees.all()) == [people["attendee"]]
    assert AuditEvent.objects.filter(action="created", object_id=str(booking.pk)).exists()


def test_overlap_is_refused_naming_the_booking_a_free_slot_and_free_rooms(book, rooms, people):
    book(title="예산 회의")
    with pytest.raises(BookingConflict) as caught:
        book(start=thursday(14, 30), end=thursday(15, 30), organizer=people["outsider"], title="겹치는 회의")
    message = str(caught.value)
    assert "“예산 회의” by 김민지" in message and "한강" in message
    assert caught.value.suggested == (thursday(15), thursday(16))
    assert "Nearest free slot in this room: Dec 3 (Thu) 15:00~16:00." in message
    # Rooms of the same size (6) or bigger, free then: 북한산 and 제주, never the 2-seat room.
    assert [r.name for r in caught.value.free_rooms] == ["북한산", "제주"]
    assert Booking.objects.count() == 1


def test_back_to_back_is_fine_and_a_buffer_is_kept(book, rules):
    book()
    book(start=thursday(15), end=thursday(16))  # [14, 15) and [15, 16) do not overlap
    rules.buffer_minutes = 10
    rules.save()
    with pytest.raises(BookingConflict) as caught:
        book(start=thursday(16, 5), end=thursday(17))
    assert caught.value.suggested == (thursday(16, 10), thursday(17, 5))


def test_a_private_booking_shows_booked_to_others_and_in_conflicts(book, people):
    booking = book(title="인사 면담", is_private=True, attendees=[people["attendee"]])
    assert shown_title(people["outsider"].user, booking) == "Booked"
    assert shown_title(people["attendee"].user, booking) == "인사 면담"
    assert shown_title(people["admin"].user, booking) == "인사 면담"
    with pytest.raises(BookingConflict) as caught:
        book(organizer=people["outsider"])
    assert "인사 면담" not in str(caught.value) and "“Booked”" in str(caught.value)


@pytest.mark.parametrize(
    ("start", "end", "fragment"),
    [
        (thursday(14), thursday(14), "end must be after the start"),
        (thursday(15), thursday(14), "end must be after the start"),
        (thursday(8), thursday(17, 30), "at most 8 hours"),
        (thursday(6), thursday(7, 30), "between 07:00 and 22:00"),
        (thursday(21), thursday(23), "between 07:00 and 22:00"),
        (kst(2026, 12, 2, 8), kst(2026, 12, 2, 9), "already passed"),
        (kst(2026, 12, 5, 10), kst(2026, 12, 5, 11), "not a working day"),
        (kst(2026, 12, 25, 10), kst(2026, 12, 25, 11), "is a holiday"),
    ],
)
def test_bad_times_are_refused_clearly(book, start, end, fragment):
    with pytest.raises(ValidationError) as caught:
        book(start=start, end=end)
    assert fragment in " ".join(caught.value.messages)
    assert not Booking.objects.exists()


def test_company_days_off_and_unknown_or_inactive_rooms(book, rooms, people):
    CompanyDayOff.objects.create(date=kst(*(2026, 12, 3), 0).date(), name="창립기념일")
    with pytest.raises(ValidationError, match="창립기념일"):
        book()
    with pytest.raises(ValidationError, match="Choose a room"):
        book(room=None, start=kst(2026, 12, 4, 10), end=kst(2026, 12, 4, 11))
    rooms["jeju"].is_active = False
    rooms["jeju"].save()
    with pytest.raises(ValidationError, match="not bookable"):
        book(room="jeju", start=kst(2026, 12, 4, 10), end=kst(2026, 12, 4, 11))


def test_only_the_organizer_or_a_room_admin_changes_or_cancels(book, people, rooms):
    booking = book()
    with pytest.raises(PermissionDenied):
        booking_move(booking=booking, start=thursday(16), end=thursday(17), by=Actor(user=people["outsider"].user))
    with pytest.raises(PermissionDenied):
        booking_cancel(booking=booking, by=Actor(user=people["attendee"].user))
    moved = booking_move(booking=booking, room=rooms["jeju"], by=Actor(user=people["admin"].user))
    assert moved.room == rooms["jeju"]
    event = AuditEvent.objects.get(action="moved", object_id=str(booking.pk))
    assert event.changes["room"] == ["한강", "제주"]
    booking_cancel(booking=booking, by=Actor(user=people["organizer"].user), reason="연기")
    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED
    # A cancelled booking frees the slot.
    assert rooms["jeju"] in free_rooms(thursday(14), thursday(15), capacity=6)


def test_a_move_onto_another_booking_is_refused_and_nothing_changes(book, people):
    first = book()
    second = book(start=thursday(16), end=thursday(17))
    with pytest.raises(BookingConflict):
        booking_move(booking=second, start=thursday(14, 30), end=thursday(15, 30), by=people["organizer"].user)
    second.refresh_from_db()
    assert second.start == thursday(16)
    # Moving within its own slot is no conflict with itself.
    booking_move(booking=first, end=thursday(15, 30), by=Actor(user=people["organizer"].user))


def test_attendee_changes_are_audited_with_who_came_and_went(book, people):
    booking = book(attendees=[people["attendee"]])
    got = []
    signals.booking_attendees_changed.connect(
        lambda sender, added, removed, **kw: got.append((added, removed)), weak=False, dispatch_uid="t"
    )
    try:
        booking_change_attendees(booking=booking, attendees=[people["outsider"]], by=people["organizer"].user)
    finally:
        signals.booking_attendees_changed.disconnect(dispatch_uid="t")
    assert got == [([people["outsider"]], [people["attendee"]])]


def test_no_show_release_and_check_in(book, people, time_machine):
    kept = book(attendees=[people["attendee"]])
    lost = book(room="jeju")
    time_machine.move_to(thursday(13, 57))
    booking_check_in(booking=kept, by=Actor(user=people["attendee"].user))
    with pytest.raises(PermissionDenied):
        booking_check_in(booking=lost, by=Actor(user=people["outsider"].user))
    time_machine.move_to(thursday(14, 5))
    assert release_no_shows() == 0  # not yet: 10 minutes after the start
    time_machine.move_to(thursday(14, 10))
    assert release_no_shows() == 1
    kept.refresh_from_db(), lost.refresh_from_db()
    assert kept.status == Status.CONFIRMED and lost.status == Status.RELEASED
    assert booking_release(booking=lost, by=Actor.system()) is None  # idempotent
    assert AuditEvent.objects.filter(action="released", object_id=str(lost.pk)).count() == 1


def test_check_in_too_early_is_refused(book, people):
    booking = book()
    with pytest.raises(ValidationError, match="opens shortly before"):
        booking_check_in(booking=booking, by=Actor(user=people["organizer"].user))


def test_synced_bookings_skip_opening_hours_but_not_overlaps(book, rooms, people):
    night = book(start=thursday(22), end=thursday(23, 30), source="google", external_id="evt-1", by=Actor.system())
    assert night.source == "google"
    with pytest.raises(BookingConflict):
        book(start=thursday(23), end=thursday(23, 45), source="ics", external_id="evt-2", by=Actor.system())
    with pytest.raises(ValidationError, match="longer than a day"):
        book(start=thursday(1), end=thursday(1) + timedelta(hours=25), source="ics", by=Actor.system())
