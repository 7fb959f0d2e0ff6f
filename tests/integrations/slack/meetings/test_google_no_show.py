"""No-show release of a booking synced from Google Calendar: the same rule as Haru's own
bookings (check-in prompt, release N minutes after the start), the room channel and the
organizer told, and the room leaves the event in Google through the write-back."""

import pytest

from integrations.calendar.sync import push_write_backs, sync_source
from integrations.slack.meetings.jobs import send_check_in_prompts
from meetings.models import Booking, BookingSource, CalendarSource, Status, WriteBack
from meetings.services import release_no_shows
from tests.fakes.google_calendar import FakeGoogleCalendar

from .conftest import ROOMS_CHANNEL, channel_history, content, employee, sent_to, thursday

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

ROOM_CALENDAR = "c_hangang@resource.calendar.google.com"


@pytest.fixture
def google(settings):
    with FakeGoogleCalendar() as server:
        settings.GOOGLE_CALENDAR_API_URL = server.base_url
        settings.GOOGLE_CALENDAR_ACCESS_TOKEN = server.token
        yield server


@pytest.fixture
def source(rooms, crew):
    room = rooms["hangang"]
    room.google_resource_email = ROOM_CALENDAR
    room.save()
    return CalendarSource.objects.create(
        room=room, kind="google", address=ROOM_CALENDAR, default_organizer=employee(crew["agent"])
    )


def google_event(summary, start, end):
    return {
        "summary": summary,
        "start": {"dateTime": start.isoformat(), "timeZone": "Asia/Seoul"},
        "end": {"dateTime": end.isoformat(), "timeZone": "Asia/Seoul"},
    }


def test_a_google_booking_nobody_uses_is_released_and_the_room_leaves_the_event(google, source, slack, time_machine):
    event = google.put_event(ROOM_CALENDAR, google_event("외부 회의", thursday(14), thursday(15)))
    assert sync_source(source).created == 1
    booking = Booking.objects.get(source=BookingSource.GOOGLE)
    assert not WriteBack.objects.exists()  # a synced booking is not written back to its calendar

    time_machine.move_to(thursday(13, 56))
    assert send_check_in_prompts() == 1  # its organizer may check in like anyone
    (prompt,) = sent_to(slack, "UAGENT001")
    assert "meetings.check_in" in content(prompt)

    time_machine.move_to(thursday(14, 11))
    assert release_no_shows() == 1
    booking.refresh_from_db()
    assert booking.status == Status.RELEASED
    assert any("Nobody checked in, so 한강 was released" in m["text"] for m in sent_to(slack, "UAGENT001"))
    history = channel_history(slack, ROOMS_CHANNEL)
    assert any("Nobody checked in within 10 minutes: 한강 is free again until 15:00." in m["text"] for m in history)

    # Google still lists the event until the write-back ran: the release stands.
    assert sync_source(source).created == 0
    assert not Booking.objects.filter(status=Status.CONFIRMED).exists()
    assert push_write_backs() == 1
    assert google.event(ROOM_CALENDAR, event["id"])["status"] == "cancelled"
    assert sync_source(source).created == 0
    booking.refresh_from_db()
    assert booking.status == Status.RELEASED and not Booking.objects.filter(status=Status.CONFIRMED).exists()


def test_a_checked_in_google_booking_and_ics_bookings_are_kept(google, source, book, rooms, crew, time_machine):
    from erp.audit.actor import Actor
    from meetings.services import booking_check_in, booking_create

    google.put_event(ROOM_CALENDAR, google_event("외부 회의", thursday(14), thursday(15)))
    sync_source(source)
    synced = Booking.objects.get(source=BookingSource.GOOGLE)
    feed = booking_create(
        room=rooms["bukhan"], title="ICS 회의", organizer=employee(crew["agent"]), start=thursday(14),
        end=thursday(15), source=BookingSource.ICS, external_id="uid-1@example", by=Actor.system(sync="ics"),
    )  # fmt: skip
    time_machine.move_to(thursday(14, 2))
    booking_check_in(booking=synced, by=Actor(user=crew["agent"]))
    time_machine.move_to(thursday(14, 11))
    assert release_no_shows() == 0
    assert set(Booking.objects.values_list("status", flat=True)) == {Status.CONFIRMED}
    assert not WriteBack.objects.exists() and feed.status == Status.CONFIRMED
