"""Google push notifications for room calendars: open, renew and stop channels; take pings.

Polling with sync tokens is the default (an intranet portal has no public URL). When
``GOOGLE_CALENDAR_PUSH_URL`` names the public HTTPS address of the push endpoint, every
active Google source gets a channel (``events.watch``) and a notification makes that source
sync at once instead of at the next poll; the poll keeps running as the safety net, since
Google does not promise delivery. A notification says only "something changed": the sync
itself is the usual syncToken fetch.

Channels expire and Google never renews them: a new one is opened a day before the old one
ends, then the old one is stopped. Without a push URL, every open channel is stopped.
"""

import logging
import secrets
import uuid
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from meetings.models import CalendarSource, SourceKind

from .credentials import google_call
from .google import api_base, events_url
from .http import CalendarHTTPError
from .models import PushChannel

logger = logging.getLogger(__name__)

CHANNEL_TTL = timedelta(days=7)
RENEW_BEFORE = timedelta(days=1)


def push_address() -> str:
    return getattr(settings, "GOOGLE_CALENDAR_PUSH_URL", "")


def _open(source: CalendarSource, address: str, now: datetime) -> PushChannel:
    channel_id, token = uuid.uuid4().hex, secrets.token_urlsafe(32)
    body = {
        "id": channel_id,
        "type": "web_hook",
        "address": address,
        "token": token,
        "params": {"ttl": str(int(CHANNEL_TTL.total_seconds()))},
    }
    answer = google_call("POST", f"{events_url(source.address)}/watch", body=body).json()
    expiration = answer.get("expiration")  # milliseconds since the epoch, as a string
    expires_at = (
        datetime.fromtimestamp(int(expiration) / 1000, tz=UTC) if str(expiration or "").isdigit() else now + CHANNEL_TTL
    )
    return PushChannel.objects.create(
        source=source,
        channel_id=channel_id,
        resource_id=str(answer.get("resourceId") or "")[:200],
        token=token,
        expires_at=expires_at,
    )


def _stop(channel: PushChannel) -> None:
    try:
        google_call(
            "POST", f"{api_base()}/channels/stop", body={"id": channel.channel_id, "resourceId": channel.resource_id}
        )
    except CalendarHTTPError as exc:
        if exc.status not in (404, 410):  # already gone there
            raise
    channel.delete()


def renew_channels(*, now: datetime | None = None) -> int:
    """Open the channels that are missing or about to expire; stop the ones no longer
    wanted. Returns how many were opened. A failing source is logged and tried next round."""
    now = now or timezone.now()
    address = push_address()
    google = CalendarSource.objects.filter(is_active=True, kind=SourceKind.GOOGLE)
    wanted = google if address else CalendarSource.objects.none()
    opened = 0
    for source in wanted:
        channels = list(PushChannel.objects.filter(source=source))
        if any(channel.expires_at > now + RENEW_BEFORE for channel in channels):
            continue
        try:
            _open(source, address, now)
            opened += 1
            for channel in channels:
                _stop(channel)
        except CalendarHTTPError as exc:
            logger.warning("Push channel for calendar source %s not renewed: %s", source.pk, exc)
    for channel in PushChannel.objects.exclude(source__in=wanted).select_related("source"):
        try:
            _stop(channel)
        except CalendarHTTPError as exc:
            logger.warning("Push channel %s not stopped: %s", channel.channel_id, exc)
    PushChannel.objects.filter(expires_at__lte=now).delete()  # Google has forgotten them anyway
    return opened


def notified(*, channel_id: str, token: str, state: str, now: datetime | None = None) -> bool:
    """A notification came in. False when it is not ours (unknown channel or wrong token);
    otherwise the source is made due and a sync of it is queued (after commit)."""
    now = now or timezone.now()
    channel = PushChannel.objects.filter(channel_id=channel_id).select_related("source").first()
    if channel is None or not secrets.compare_digest(channel.token.encode(), (token or "").encode()):
        return False
    PushChannel.objects.filter(pk=channel.pk).update(last_message_at=now, messages=channel.messages + 1)
    if state == "sync":  # the handshake right after watch: nothing changed yet
        return True
    source = channel.source
    # A source backing off after failures keeps its backoff: the ping must not hammer a
    # calendar that is answering 429 or 500.
    if source.failures == 0:
        CalendarSource.objects.filter(pk=source.pk).update(next_attempt_at=None)
        transaction.on_commit(lambda: _queue_sync(source.pk))
    return True


SYNC_SOURCE_TASK = "integrations.calendar.sync_source"  # integrations.calendar.tasks, by name (no cycle)


def _queue_sync(source_id: int) -> None:
    from celery import current_app

    try:
        current_app.tasks[SYNC_SOURCE_TASK].delay(source_id)
    except Exception:  # the broker is away: the next poll syncs the source (it is due now)
        logger.warning("Calendar source %s left for the next poll: the sync could not be queued", source_id)
