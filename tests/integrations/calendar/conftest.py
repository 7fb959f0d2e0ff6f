"""Shared by the Google Calendar tests: the local Calendar/Directory/OAuth stand-in over
real HTTP, one room with its Google calendar source, and a pinned working Wednesday."""

from datetime import datetime

import pytest

from erp.workcalendar.calendar import KST
from integrations.calendar import credentials
from meetings.models import CalendarSource, Room
from tests.clock import WORKING_WEDNESDAY, clock_pinned_at
from tests.factories import make_employee
from tests.fakes.google_calendar import FakeGoogleCalendar

ROOM_CALENDAR = "c_hangang@resource.calendar.google.com"


def kst(*args) -> datetime:
    return datetime(*args, tzinfo=KST)


def event(summary, start, end, **extra):
    return {
        "summary": summary,
        "start": {"dateTime": start.isoformat(), "timeZone": "Asia/Seoul"},
        "end": {"dateTime": end.isoformat(), "timeZone": "Asia/Seoul"},
        **extra,
    }


@pytest.fixture(autouse=True)
def _pinned_clock(request):
    yield from clock_pinned_at(request, WORKING_WEDNESDAY)


@pytest.fixture(scope="module")
def google_server():
    with FakeGoogleCalendar() as server:
        yield server


@pytest.fixture
def google(google_server, settings):
    """The stand-in with clean state, and the portal pointed at it with its fixed token."""
    for state in (google_server.calendars, google_server.tokens, google_server.channels, google_server.issued):
        state.clear()
    for log in (google_server.faults, google_server.requests, google_server.grants, google_server.rooms):
        log.clear()
    settings.GOOGLE_CALENDAR_API_URL = google_server.base_url
    settings.GOOGLE_DIRECTORY_API_URL = google_server.directory_url
    settings.GOOGLE_CALENDAR_ACCESS_TOKEN = google_server.token
    settings.GOOGLE_SERVICE_ACCOUNT_FILE = ""
    credentials.forget()
    yield google_server
    credentials.forget()


@pytest.fixture
def source(db):
    organizer = make_employee("office", display_name="총무팀")
    make_employee("minji", display_name="김민지", email="minji@haru.example")
    room = Room.objects.create(name="한강", floor="3F", capacity=6, google_resource_email=ROOM_CALENDAR)
    return CalendarSource.objects.create(room=room, kind="google", address=ROOM_CALENDAR, default_organizer=organizer)
