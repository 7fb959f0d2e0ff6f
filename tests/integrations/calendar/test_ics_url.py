"""ICS by URL: conditional GET (ETag / 304), malformed answers and outages keep what is stored."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import translation

from integrations.calendar.sync import sync_source
from meetings.models import Booking, CalendarSource, Room
from tests.clock import WORKING_WEDNESDAY, clock_pinned_at
from tests.factories import make_employee

pytestmark = pytest.mark.django_db

ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//KO\r\nBEGIN:VEVENT\r\nUID:a-1\r\nDTSTAMP:20261201T000000Z\r\n"
    "DTSTART:20261203T050000Z\r\nDTEND:20261203T060000Z\r\nSUMMARY:외부 회의\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
).encode()


class Feed:
    def __init__(self):
        self.body, self.status, self.seen = ICS, 200, []

    def __enter__(self):
        feed = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                feed.seen.append(dict(self.headers))
                if feed.status != 200:
                    self.send_response(feed.status)
                    self.end_headers()
                    return
                if self.headers.get("If-None-Match") == '"v1"':
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/calendar; charset=utf-8")
                self.send_header("ETag", '"v1"')
                self.send_header("Content-Length", str(len(feed.body)))
                self.end_headers()
                self.wfile.write(feed.body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/room.ics"
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(autouse=True)
def _pinned_clock(request):
    yield from clock_pinned_at(request, WORKING_WEDNESDAY)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"  # the sync's errors are worded in the company language
    with translation.override("en"):
        yield


def test_conditional_get_then_outage_and_garbage_keep_the_bookings():
    room = Room.objects.create(name="한강", floor="3F", capacity=6)
    with Feed() as feed:
        source = CalendarSource.objects.create(
            room=room, kind="ics", address=feed.url, default_organizer=make_employee("office")
        )
        assert sync_source(source).created == 1
        source.refresh_from_db()
        assert source.etag == '"v1"'
        result = sync_source(source)
        assert result.total() == 0 and feed.seen[-1].get("If-None-Match") == '"v1"'
        feed.status = 500
        source.refresh_from_db()
        assert sync_source(source) is None
        source.refresh_from_db()
        assert source.failures == 1 and "HTTP 500" in source.last_error
        feed.status, feed.body = 200, b"garbage"
        CalendarSource.objects.filter(pk=source.pk).update(etag="")
        source.refresh_from_db()
        assert sync_source(source) is None
        source.refresh_from_db()
        assert "not a readable ICS" in source.last_error
    assert Booking.objects.filter(room=room, status="confirmed").count() == 1
