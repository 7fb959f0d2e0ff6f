"""Google Calendar API v3 over plain HTTPS: incremental sync and the write-back of bookings.

Sync (developers.google.com/calendar/api/guides/sync): the first run lists the room's
resource calendar from a year back with ``singleEvents=true`` and follows ``nextPageToken``;
only the last page carries ``nextSyncToken``, which is stored. Later runs send
``syncToken`` (and none of timeMin/timeMax/q/orderBy, which Google refuses with it) and get
only the changes, deletions as ``status: cancelled`` stubs. ``410 Gone`` means the token
expired: the stored token is dropped and a full listing replaces the local copy.

Write-back: a booking made in Haru becomes an event on the room's calendar with the room
as a resource attendee and ``extendedProperties.private.haruBookingId``. Such events are
Haru's own (Haru is where they are changed): when they come back in a sync, they are only
checked; an edit or a deletion made in Google is listed as a sync conflict and undone.

Settings: GOOGLE_CALENDAR_API_URL (tests point it at a local stand-in); the token comes from
a service account or GOOGLE_CALENDAR_ACCESS_TOKEN (integrations.calendar.credentials).
"""

from datetime import datetime, time, timedelta
from urllib.parse import quote, urlencode

from django.conf import settings
from django.utils import timezone

from erp.workcalendar.calendar import KST
from meetings.external import ExternalEvent
from meetings.models import SYNCED_SOURCES, Booking

from .adapter import ChangeSet
from .credentials import google_call
from .http import CalendarHTTPError

OWNED_KEY = "haruBookingId"
PAGE_SIZE = 250
MAX_PAGES = 200


def api_base() -> str:
    return getattr(settings, "GOOGLE_CALENDAR_API_URL", "https://www.googleapis.com/calendar/v3").rstrip("/")


def events_url(calendar_id: str, event_id: str = "") -> str:
    url = f"{api_base()}/calendars/{quote(calendar_id, safe='')}/events"
    return f"{url}/{quote(event_id, safe='')}" if event_id else url


def _moment(value: dict) -> datetime | None:
    if not value:
        return None
    if value.get("dateTime"):
        return datetime.fromisoformat(value["dateTime"].replace("Z", "+00:00"))
    if value.get("date"):
        return datetime.combine(datetime.fromisoformat(value["date"]).date(), time(0), KST)
    return None


def _owned_booking_id(item: dict) -> int | None:
    value = str(((item.get("extendedProperties") or {}).get("private") or {}).get(OWNED_KEY) or "")
    return int(value) if value.isdigit() else None


def to_external(item: dict, owned: dict | None = None) -> ExternalEvent:
    """A Google event as an ExternalEvent. A cancelled stub carries no extendedProperties:
    ``owned`` ({event id: booking id} of Haru's written-back events) recognises it."""
    owned_id = _owned_booking_id(item) or (owned or {}).get(item["id"])
    return ExternalEvent(
        external_id=item["id"],
        title=(item.get("summary") or "").strip()[:200],
        start=_moment(item.get("start") or {}),
        end=_moment(item.get("end") or {}),
        cancelled=item.get("status") == "cancelled",
        is_private=item.get("visibility") in ("private", "confidential"),
        organizer_email=(item.get("organizer") or {}).get("email", ""),
        etag=item.get("etag", ""),
        sequence=int(item.get("sequence") or 0),
        owned_booking_id=owned_id,
    )


def owned_event_ids(source) -> dict:
    """{event id: booking id} of the bookings Haru wrote to this source's room calendar."""
    rows = (
        Booking.objects.filter(room_id=source.room_id)
        .exclude(source__in=SYNCED_SOURCES)
        .exclude(external_id="")
        .values_list("external_id", "pk")
    )
    return dict(rows)


class GoogleCalendarAdapter:
    kind = "google"

    def _list(self, calendar_id: str, params: dict) -> tuple[list, str]:
        items, page_token = [], None
        for _page in range(MAX_PAGES):
            query = {**params, "maxResults": PAGE_SIZE, "singleEvents": "true"}
            if page_token:
                query["pageToken"] = page_token
            body = google_call("GET", f"{events_url(calendar_id)}?{urlencode(query)}").json()
            items.extend(body.get("items") or [])
            page_token = body.get("nextPageToken")
            if not page_token:
                return items, body.get("nextSyncToken", "")
        raise CalendarHTTPError("too many pages", status=500)

    def changes(self, source) -> ChangeSet:
        full = not source.sync_token
        if not full:
            try:
                items, token = self._list(source.address, {"syncToken": source.sync_token})
            except CalendarHTTPError as exc:
                if exc.status != 410:
                    raise
                full = True  # the token expired: the whole calendar again, replacing the local copy
        if full:
            since = timezone.now() - timedelta(days=365)
            items, token = self._list(source.address, {"timeMin": since.isoformat()})
        owned = owned_event_ids(source)
        events = [to_external(item, owned) for item in items]
        if full:
            events = [event for event in events if not event.cancelled]
        return ChangeSet(events=events, full=full, state={"sync_token": token})

    def _body(self, booking) -> dict:
        room = booking.room
        return {
            "summary": booking.title,
            "start": {"dateTime": booking.start.astimezone(KST).isoformat(), "timeZone": "Asia/Seoul"},
            "end": {"dateTime": booking.end.astimezone(KST).isoformat(), "timeZone": "Asia/Seoul"},
            "visibility": "private" if booking.is_private else "default",
            "attendees": [{"email": room.google_resource_email, "resource": True}]
            + [{"email": a.user.email} for a in booking.attendees.select_related("user") if a.user.email],
            "extendedProperties": {"private": {OWNED_KEY: str(booking.pk)}},
            "status": "confirmed",
        }

    def write_back(self, booking) -> dict:
        calendar_id = booking.room.google_resource_email
        event_id = (booking.etag and booking.external_id) or ""
        if event_id:
            answer = google_call("PATCH", events_url(calendar_id, event_id), body=self._body(booking))
        else:
            answer = google_call("POST", events_url(calendar_id), body=self._body(booking))
        body = answer.json()
        return {"id": body["id"], "etag": body.get("etag", "")}

    def remove(self, booking) -> None:
        if not booking.external_id:
            return
        try:
            google_call("DELETE", events_url(booking.room.google_resource_email, booking.external_id))
        except CalendarHTTPError as exc:
            if exc.status not in (404, 410):  # already gone there: nothing to do
                raise
