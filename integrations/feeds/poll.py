"""One polling cycle over the feeds that are due (the beat job runs it every minute)."""

import logging

from alerts.services.feeds import feed_record_fetch, feeds_due, feeds_not_modified

from .fetch import fetch_all

logger = logging.getLogger(__name__)


def poll_cycle(*, workers: int = 8) -> dict:
    """Fetch every due feed (concurrently) and record each result; returns counts by outcome."""
    counts = {"fetched": 0, "not_modified": 0, "new_items": 0, "errors": 0}
    results = fetch_all(feeds_due(), workers=workers)
    counts["fetched"] = len(results)
    # A plain 304 (no redirect) changes nothing but the health columns: recorded in bulk.
    unchanged = [source for source, fetched in results if fetched.status == 304 and not fetched.moved_to]
    counts["not_modified"] = feeds_not_modified(unchanged)
    for source, fetched in results:
        if fetched.status == 304 and not fetched.moved_to:
            continue
        try:
            stored = feed_record_fetch(source=source, fetch=fetched)
        except Exception:  # one broken feed must not stop the others
            logger.exception("Recording the fetch of feed %s failed", source.pk)
            counts["errors"] += 1
            continue
        counts["new_items"] += len(stored)
        counts["not_modified"] += fetched.status == 304
        counts["errors"] += bool(fetched.error)
    return counts
