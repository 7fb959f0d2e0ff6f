"""Google Calendar sync against a local stand-in of the Calendar API (real HTTP over loopback):
initial, incremental, deletion, 410 resync, 500/429 with backoff, write-back of Haru bookings."""

from datetime import datetime, timedelta

import pytest

from erp.audit.actor import Actor
from erp.workcalendar.calendar import KST
from integrations.calendar.sync import push_write_backs, sync_due, sync_source
from meetings.models import Booking, CalendarSource, Status, SyncConflict, WriteBack
from meetings.services import booking_cancel, booking_create, booking_move
from tests.clock import WORKING_WEDNESDAY

from .conftest import ROOM_CALENDAR, event, kst

pytestmark = pytest.mark.django_db


def bookings(room):
    return list(Booking.objects.filter(room=room, status=Status.CONFIRMED).order_by("start"))


def test_initial_then_incremental_sync_with_a_deletion(google, source):
    first = google.put_event(ROOM_CALENDAR, event("예산 회의", kst(2026, 12, 3, 14), kst(2026, 12, 3, 15),
                                                  organizer={"email": "minji@haru.example"}))  # fmt: skip
    for day in range(4, 9):  # enough for several pages
        google.put_event(ROOM_CALENDAR, event(f"회의 {day}", kst(2026, 12, day, 10), kst(2026, 12, day, 11)))
    from integrations.calendar import google as adapter

    adapter.PAGE_SIZE, old = 2, adapter.PAGE_SIZE
    try:
        result = sync_source(source)
    finally:
        adapter.PAGE_SIZE = old
    assert result.created == 6
    source.refresh_from_db()
    assert source.sync_token and source.failures == 0
    budget = bookings(source.room)[0]
    assert budget.title == "예산 회의" and budget.source == "google" and budget.organizer.display_name == "김민지"
    assert budget.external_id == first["id"]
    # Incremental: a move and a deletion, and only those come back.
    google.put_event(ROOM_CALENDAR, {**first, **event("예산 회의", kst(2026, 12, 3, 16), kst(2026, 12, 3, 17))})
    gone = next(e for e in google.calendars[ROOM_CALENDAR].events.values() if e.get("summary") == "회의 4")
    google.delete_event(ROOM_CALENDAR, gone["id"])
    result = sync_source(source)
    assert (result.changed, result.cancelled, result.created) == (1, 1, 0)
    assert "syncToken" in google.requests[-1][2] and "timeMin" not in google.requests[-1][2]
    budget.refresh_from_db()
    assert budget.start == kst(2026, 12, 3, 16)
    assert len(bookings(source.room)) == 5


def test_410_gone_wipes_and_resyncs_fully(google, source):
    kept = google.put_event(ROOM_CALENDAR, event("유지", kst(2026, 12, 3, 10), kst(2026, 12, 3, 11)))
    dropped = google.put_event(ROOM_CALENDAR, event("삭제될 회의", kst(2026, 12, 3, 12), kst(2026, 12, 3, 13)))
    sync_source(source)
    google.calendars[ROOM_CALENDAR].events.pop(dropped["id"])  # gone while our token expired
    google.calendars[ROOM_CALENDAR].changed_at.pop(dropped["id"])
    google.expire_tokens()
    result = sync_source(source)
    assert result is not None and result.cancelled == 1
    assert [b.external_id for b in bookings(source.room)] == [kept["id"]]
    source.refresh_from_db()
    assert source.sync_token in google.tokens


def test_500_and_429_back_off_and_lose_nothing(google, source):
    google.put_event(ROOM_CALENDAR, event("예산 회의", kst(2026, 12, 3, 14), kst(2026, 12, 3, 15)))
    sync_source(source)
    google.fail_next(500)
    assert sync_source(source) is None
    source.refresh_from_db()
    assert source.failures == 1 and "HTTP 500" in source.last_error
    assert source.next_attempt_at - WORKING_WEDNESDAY < timedelta(minutes=2)
    assert len(bookings(source.room)) == 1  # nothing stored was lost
    google.fail_next(429, retry_after=30)
    source.next_attempt_at = None
    assert sync_source(source) is None
    source.refresh_from_db()
    assert source.failures == 2
    assert timedelta(seconds=29) < source.next_attempt_at - datetime.now(tz=KST) <= timedelta(seconds=31)
    assert sync_due() == 0  # not due yet
    source.refresh_from_db()
    CalendarSource.objects.filter(pk=source.pk).update(next_attempt_at=None)
    assert sync_due() == 1
    source.refresh_from_db()
    assert source.failures == 0 and source.last_error == ""


def test_a_google_event_on_a_taken_slot_is_a_surfaced_conflict(google, source):
    organizer = source.default_organizer
    haru = booking_create(room=source.room, title="하루 예약", organizer=organizer, start=kst(2026, 12, 3, 14),
                          end=kst(2026, 12, 3, 15), by=Actor(user=organizer.user))  # fmt: skip
    WriteBack.objects.all().delete()
    google.put_event(ROOM_CALENDAR, event("구글 예약", kst(2026, 12, 3, 14, 30), kst(2026, 12, 3, 15, 30)))
    result = sync_source(source)
    assert result.conflicts == 1
    conflict = SyncConflict.objects.get()
    assert conflict.kept == haru and conflict.title == "구글 예약"
    assert bookings(source.room) == [haru]


def test_haru_bookings_are_written_back_with_the_room_as_attendee(google, source):
    organizer = source.default_organizer
    by = Actor(user=organizer.user)
    booking = booking_create(room=source.room, title="하루 예약", organizer=organizer, start=kst(2026, 12, 3, 14),
                             end=kst(2026, 12, 3, 15), by=by)  # fmt: skip
    assert WriteBack.objects.filter(booking=booking).exists()
    google.fail_next(503)
    assert push_write_backs() == 0  # retried later, kept queued
    WriteBack.objects.update(next_attempt_at=None)
    assert push_write_backs() == 1
    booking.refresh_from_db()
    written = google.event(ROOM_CALENDAR, booking.external_id)
    assert written["summary"] == "하루 예약"
    assert {"email": ROOM_CALENDAR, "resource": True} in written["attendees"]
    # A move patches the same event; the sync does not bring Haru's own event back as a booking.
    booking_move(booking=booking, start=kst(2026, 12, 3, 16), end=kst(2026, 12, 3, 17), by=by)
    push_write_backs()
    assert google.event(ROOM_CALENDAR, booking.external_id)["start"]["dateTime"].startswith("2026-12-03T16:00")
    result = sync_source(source)
    assert result.created == 0 and bookings(source.room) == [booking]
    booking_cancel(booking=booking, by=by)
    push_write_backs()
    assert google.event(ROOM_CALENDAR, booking.external_id)["status"] == "cancelled"
