"""ICS by URL: a conditional GET (If-None-Match / If-Modified-Since), then a full import."""

from datetime import timedelta

from django.utils import timezone

from meetings.ics_import import events_from_ics
from meetings.services.sync import ICS_AHEAD_DAYS, ICS_PAST_DAYS

from .adapter import ChangeSet
from .http import call


class IcsUrlAdapter:
    kind = "ics"

    def changes(self, source) -> ChangeSet:
        headers = {"Accept": "text/calendar, */*;q=0.5", "User-Agent": "HaruERP-meetings/1"}
        if source.etag:
            headers["If-None-Match"] = source.etag
        if source.last_modified:
            headers["If-Modified-Since"] = source.last_modified
        answer = call("GET", source.address, headers=headers)
        if answer.status == 304:
            return ChangeSet(events=[], full=False, state={}, unchanged=True)
        now = timezone.now()
        window = (now - timedelta(days=ICS_PAST_DAYS), now + timedelta(days=ICS_AHEAD_DAYS))
        events = events_from_ics(answer.body, start=window[0], end=window[1])  # ValidationError: malformed
        state = {"etag": answer.headers.get("ETag", ""), "last_modified": answer.headers.get("Last-Modified", "")}
        return ChangeSet(events=events, full=True, state={**state, "window": window})

    def write_back(self, booking) -> dict:
        raise NotImplementedError("an ICS URL is read-only")

    def remove(self, booking) -> None:
        raise NotImplementedError("an ICS URL is read-only")
