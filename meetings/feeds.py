"""ICS feeds (RFC 5545) that Outlook, Google and Apple calendars subscribe to.

One feed per room (everything booked there) and one per person (what they organize or
attend), each behind a secret-token URL: calendar apps cannot sign in, so the token is the
credential; a room admin rotates a room's token in the admin. Private bookings appear as
"예약됨" in a room feed; a person's own feed shows them their own titles. Times are UTC
(``…Z``), which every client converts to its zone.
"""

from datetime import timedelta

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from icalendar import Calendar, Event

from .models import Booking, PersonFeed, Room, Status
from .selectors import bookings_of, channel_title

# What a feed carries: recent past and the coming months (a subscription re-reads it often).
PAST = timedelta(days=30)
AHEAD = timedelta(days=180)


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Haru ERP//Meeting rooms//KO")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Seoul")
    return calendar


def booking_event(booking: Booking, *, title: str) -> Event:
    event = Event()
    event.add("uid", f"booking-{booking.pk}@haru-erp")
    event.add("dtstamp", booking.updated_at or timezone.now())
    event.add("dtstart", booking.start)
    event.add("dtend", booking.end)
    event.add("summary", title)
    event.add("location", f"{booking.room.name} ({booking.room.floor})")
    event.add("sequence", booking.sequence)
    event.add("status", "CONFIRMED" if booking.status == Status.CONFIRMED else "CANCELLED")
    return event


def render_feed(name: str, bookings, *, title) -> bytes:
    calendar = _calendar(name)
    for booking in bookings:
        calendar.add_component(booking_event(booking, title=title(booking)))
    return calendar.to_ical()


def _response(body: bytes) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


def _window():
    now = timezone.now()
    return now - PAST, now + AHEAD


@require_GET
def room_feed(request, token: str):
    room = Room.objects.filter(feed_token=token).first()
    if room is None:
        raise Http404("unknown feed")
    start, end = _window()
    rows = room.bookings.filter(start__gte=start, start__lt=end).exclude(status=Status.RELEASED)
    with translation.override(settings.LANGUAGE_CODE):
        return _response(render_feed(room.name, rows.select_related("room").order_by("start"), title=channel_title))


@require_GET
def person_feed(request, token: str):
    feed = PersonFeed.objects.select_related("employee").filter(token=token).first()
    if feed is None:
        raise Http404("unknown feed")
    start, end = _window()
    rows = bookings_of(feed.employee, start=start, end=end)
    with translation.override(feed.employee.language or settings.LANGUAGE_CODE):
        name = _("%(name)s · meetings") % {"name": feed.employee.display_name}
        return _response(render_feed(name, rows, title=lambda booking: booking.title))
