"""Recording a feed fetch: entries stored once, health and the conditional-GET state kept.

The fetching itself (HTTP, feedparser) is integrations/feeds; it hands over a ``FeedFetch``.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from erp.audit.actor import Actor
from erp.audit.services import audit_record

from .. import conf, signals
from ..models import FeedPreset, Item, ItemKind, Source
from ..shapes.releases import classify, wanted
from .intake import Incoming, alerts_receive, clip


@dataclass
class FeedEntry:
    id: str
    title: str
    link: str = ""
    text: str = ""
    published: datetime | None = None


@dataclass
class FeedFetch:
    """What one fetch gave: an HTTP status (None when no answer came), the new validators,
    the URL a permanent redirect points to, the entries, or the error that stopped it."""

    status: int | None
    etag: str = ""
    modified: str = ""
    moved_to: str = ""
    entries: list[FeedEntry] = field(default_factory=list)
    error: str = ""


def _external_id(source: Source, entry: FeedEntry) -> str:
    base = entry.id or entry.link or entry.title
    if source.preset == FeedPreset.NGINX:
        # Two nginx events of one day share the guid (http://nginx.org/#2026-11-20): the title tells them apart.
        base += "#" + hashlib.sha256(entry.title.encode()).hexdigest()[:12]
    return base


def _backoff(source: Source, failures: int) -> timedelta:
    minutes = source.poll_minutes * (2 ** min(failures, 10))
    return timedelta(minutes=min(minutes, conf.get("ALERTS_FEED_MAX_BACKOFF_MINUTES")))


@transaction.atomic
def feed_record_fetch(*, source: Source, fetch: FeedFetch) -> list[Item]:
    """Apply one fetch to its subscription; returns the newly stored items.

    304: nothing new. 301: the URL is updated (audited). 410: the subscription is disabled
    (audited). An error (timeout, bad XML, HTML, too large, 5xx) counts a failure and backs
    off exponentially; the source's page shows it. New entries are stored once (guid/id);
    those passing the filters send ``release_published`` (instant post or the daily digest),
    except on a subscription's first fetch, which only fills the history.
    """
    source = Source.objects.select_for_update().get(pk=source.pk)
    now = timezone.now()
    system = Actor.system(source=source.name)
    source.last_fetched_at, source.last_status = now, fetch.status
    if fetch.moved_to and fetch.moved_to != source.url:
        audit_record(source, "feed_moved", by=system, changes={"url": [source.url, fetch.moved_to]})
        source.url = fetch.moved_to[:500]
    if fetch.status == 410:
        source.is_active = False
        source.disabled_reason = _("The feed is gone (HTTP 410); subscribe to its new address.")
        audit_record(source, "feed_disabled", by=system, changes={"is_active": [True, False]})
        source.save()
        return []
    if fetch.error:
        source.failures += 1
        source.last_error = clip(fetch.error, 1000)
        source.next_fetch_at = now + _backoff(source, source.failures)
        source.save()
        return []
    first_fetch = not source.items.exists()
    source.failures, source.last_error = 0, ""
    source.next_fetch_at = now + timedelta(minutes=source.poll_minutes)
    if fetch.status != 304:
        source.etag, source.modified = clip(fetch.etag, 300), clip(fetch.modified, 100)
    source.save()
    if fetch.status == 304 or not fetch.entries:
        return []
    incoming = []
    for entry in fetch.entries:
        release = classify(source.preset, entry.title, entry.text)
        facts = {**release.facts(), "matched": wanted(source, release, entry.title, entry.text)}
        incoming.append(
            Incoming(
                external_id=_external_id(source, entry),
                kind=ItemKind.RELEASE,
                title=entry.title,
                status="",
                severity="",
                body=entry.text,
                url=entry.link,
                occurred_at=entry.published,
                facts=facts,
            )
        )
    stored = alerts_receive(source=source, incoming=incoming, by=system).stored
    if not first_fetch:
        for item in stored:
            if item.facts.get("matched"):
                signals.release_published.send(sender=Item, item=item, by=system)
    return stored


def feeds_not_modified(sources: list[Source]) -> int:
    """Record a plain 304 for many subscriptions at once: one UPDATE per poll interval instead
    of a locked read-modify-write per feed (most of a polling cycle is 304s)."""
    now = timezone.now()
    by_interval: dict[int, list[int]] = {}
    for source in sources:
        by_interval.setdefault(source.poll_minutes, []).append(source.pk)
    for minutes, ids in by_interval.items():
        Source.objects.filter(pk__in=ids, is_active=True).update(
            last_fetched_at=now,
            last_status=304,
            failures=0,
            last_error="",
            next_fetch_at=now + timedelta(minutes=minutes),
            updated_at=now,
        )
    return len(sources)


def feeds_due(now: datetime | None = None, limit: int = 1000):
    now = now or timezone.now()
    from django.db.models import Q

    return list(
        Source.objects.filter(kind="feed", is_active=True)
        .filter(Q(next_fetch_at__isnull=True) | Q(next_fetch_at__lte=now))
        .order_by("next_fetch_at", "pk")[:limit]
    )


def digest_items(source: Source, since: datetime) -> list[Item]:
    """Matched releases of a digest subscription not posted yet (oldest first)."""
    return list(
        source.items.filter(
            kind=ItemKind.RELEASE, posted_at__isnull=True, received_at__gte=since, facts__matched=True
        ).order_by("received_at", "pk")
    )


def mark_posted(items: list[Item]) -> None:
    Item.objects.filter(pk__in=[i.pk for i in items]).update(posted_at=timezone.now())
