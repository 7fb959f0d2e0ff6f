"""Running the calendar adapters: polling with backoff, and the write-back of Haru bookings.

``sync_source`` never loses what is stored: a calendar that answers 500, 429 or nothing at
all leaves every booking as it was, records the error on the source and backs off
(Retry-After when given, else 1, 2, 4 … minutes up to an hour); the next due poll tries
again. A 410 on a sync token is not an error: the adapter falls back to a full listing.
"""

import logging
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from erp.core.errors import error_text
from meetings.models import CalendarSource, Status, WriteBack
from meetings.services.sync import SyncResult, apply_events

from .google import GoogleCalendarAdapter
from .http import CalendarHTTPError
from .ics_url import IcsUrlAdapter

logger = logging.getLogger(__name__)

ADAPTERS = {"google": GoogleCalendarAdapter(), "ics": IcsUrlAdapter()}
MAX_BACKOFF = timedelta(hours=1)
WRITE_BACK_BATCH = 200


def backoff(failures: int, retry_after: float | None = None) -> timedelta:
    if retry_after:
        return timedelta(seconds=min(retry_after, MAX_BACKOFF.total_seconds()))
    return min(timedelta(minutes=2 ** max(failures - 1, 0)), MAX_BACKOFF)


def _failed(source: CalendarSource, exc: Exception, now: datetime) -> None:
    failures = source.failures + 1
    retry_after = getattr(exc, "retry_after", None)
    CalendarSource.objects.filter(pk=source.pk).update(
        failures=failures, last_error=error_text(exc)[:2000], next_attempt_at=now + backoff(failures, retry_after)
    )
    logger.warning("Calendar source %s failed (%d in a row): %s", source.pk, failures, exc)


def sync_source(source: CalendarSource, *, now: datetime | None = None) -> SyncResult | None:
    """One sync of one source; None when it failed (recorded on the source, retried later)."""
    now = now or timezone.now()
    try:
        changes = ADAPTERS[source.kind].changes(source)
    except (CalendarHTTPError, ValidationError) as exc:
        _failed(source, exc, now)
        return None
    result = SyncResult()
    with transaction.atomic():
        if not changes.unchanged:
            result = apply_events(
                source,
                changes.events,
                full=changes.full,
                booking_source=source.kind,
                window=changes.state.get("window"),
            )
        updates = {"failures": 0, "last_error": "", "last_synced_at": now, "next_attempt_at": None}
        for name in ("sync_token", "etag", "last_modified"):
            if name in changes.state:
                updates[name] = changes.state[name]
        CalendarSource.objects.filter(pk=source.pk).update(**updates)
    return result


def due_sources(now: datetime):
    return (
        CalendarSource.objects.filter(is_active=True)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .select_related("room", "default_organizer")
    )


def sync_due(*, now: datetime | None = None) -> int:
    """Every due source once, then the pending write-backs; returns how many sources synced."""
    now = now or timezone.now()
    synced = sum(sync_source(source, now=now) is not None for source in due_sources(now))
    push_write_backs(now=now)
    return synced


def push_write_backs(*, now: datetime | None = None) -> int:
    """Create, update or delete the Google events of bookings changed in Haru."""
    now = now or timezone.now()
    adapter = ADAPTERS["google"]
    rows = (
        WriteBack.objects.filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .select_related("booking__room")
        .order_by("queued_at")[:WRITE_BACK_BATCH]
    )
    done = 0
    for row in rows:
        booking = row.booking
        try:
            if booking.status == Status.CONFIRMED:
                event = adapter.write_back(booking)
                type(booking).objects.filter(pk=booking.pk).update(external_id=event["id"], etag=event["etag"] or "-")
            else:
                adapter.remove(booking)
        except CalendarHTTPError as exc:
            attempts = row.attempts + 1
            WriteBack.objects.filter(pk=row.pk).update(
                attempts=attempts,
                last_error=str(exc)[:2000],
                next_attempt_at=now + backoff(attempts, exc.retry_after),
            )
            continue
        # Deleted only if nothing newer was queued while the call ran (queued_at moves on change).
        WriteBack.objects.filter(pk=row.pk, queued_at=row.queued_at).delete()
        done += 1
    return done
