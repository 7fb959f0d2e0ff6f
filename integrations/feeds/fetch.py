"""Fetching release feeds: conditional GET over HTTP, then feedparser on the bytes.

The HTTP part is ours (urllib) rather than feedparser's so that the timeout, the size limit
and redirects are under control: a 301/308 tells the subscription its new URL, a 302/307 is
followed without changing it, 304 means "nothing new" (ETag / Last-Modified sent back as
If-None-Match / If-Modified-Since, PLATFORMS.md §2.5). feedparser then parses RSS 2.0 / Atom
from the bytes, and its ``bozo`` flag tells a broken or non-feed body (an HTML page) apart.
"""

import urllib.error
import urllib.request
import xml.sax
from calendar import timegm
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import feedparser
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from alerts import conf
from alerts.services.feeds import FeedEntry, FeedFetch

USER_AGENT = "HaruERP-feeds/1.0 (+conditional GET)"
PERMANENT = (301, 308)


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects, remembering where a permanent one pointed."""

    def __init__(self):
        self.moved_to = ""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if code in PERMANENT and not self.moved_to:
            self.moved_to = newurl
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str, *, etag: str = "", modified: str = "") -> FeedFetch:
    """One conditional GET of ``url``; never raises (errors come back in ``FeedFetch.error``)."""
    redirects = _Redirects()
    opener = urllib.request.build_opener(redirects)
    request = urllib.request.Request(
        url,
        headers={
            "User-Agent": USER_AGENT,
            "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5",
        },
    )
    if etag:
        request.add_header("If-None-Match", etag)
    if modified:
        request.add_header("If-Modified-Since", modified)
    limit = conf.get("ALERTS_FEED_MAX_BYTES")
    try:
        with opener.open(request, timeout=conf.get("ALERTS_FEED_TIMEOUT_SECONDS")) as response:
            status, headers = response.status, response.headers
            body = response.read(limit + 1)
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return FeedFetch(status=304, etag=etag, modified=modified, moved_to=redirects.moved_to)
        if exc.code == 410:
            return FeedFetch(status=410, moved_to=redirects.moved_to)
        return FeedFetch(
            status=exc.code,
            moved_to=redirects.moved_to,
            error=_("HTTP %(code)d from the feed server.") % {"code": exc.code},
        )
    except TimeoutError:
        return FeedFetch(status=None, error=_("The feed server did not answer in time."))
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return FeedFetch(status=None, error=_("Could not reach the feed server: %(reason)s") % {"reason": reason})
    if len(body) > limit:
        return FeedFetch(
            status=status,
            moved_to=redirects.moved_to,
            error=_("The feed is larger than %(size)s; it was not read.") % {"size": filesizeformat(limit)},
        )
    fetched = parse(body, headers.get("Content-Type", ""))
    fetched.status, fetched.moved_to = status, redirects.moved_to
    fetched.etag, fetched.modified = headers.get("ETag", "") or "", headers.get("Last-Modified", "") or ""
    return fetched


def _moment(parsed) -> datetime | None:
    return datetime.fromtimestamp(timegm(parsed), tz=UTC) if parsed else None


def parse(body: bytes, content_type: str = "") -> FeedFetch:
    """Feed bytes → entries; a body that is not a feed (HTML, broken XML) is an error."""
    document = feedparser.parse(body, response_headers={"content-type": content_type} if content_type else None)
    version = document.get("version", "")
    if version and isinstance(document.get("bozo_exception"), xml.sax.SAXParseException):
        # feedparser's lenient parser still reads a truncated or broken feed; trusting half a
        # feed would store a partial entry and miss the rest, so it is an error to retry later.
        return FeedFetch(status=200, error=_("Not a valid feed: %(reason)s") % {"reason": document.bozo_exception})
    if not version:
        if document.bozo:
            return FeedFetch(
                status=200, error=_("Not a valid feed: %(reason)s") % {"reason": document.get("bozo_exception", "")}
            )
        return FeedFetch(status=200, error=_("The address answers with something that is not an RSS or Atom feed."))
    entries = []
    for entry in document.entries:
        text = entry.get("summary", "") or ""
        if entry.get("content"):
            text = entry.content[0].get("value", "") or text
        entries.append(
            FeedEntry(
                id=entry.get("id", "") or entry.get("link", "") or "",
                title=" ".join((entry.get("title", "") or "").split()),
                link=entry.get("link", "") or "",
                text=text,
                published=_moment(entry.get("published_parsed") or entry.get("updated_parsed")),
            )
        )
    return FeedFetch(status=200, entries=entries)


def fetch_all(sources, *, workers: int = 8) -> list[tuple]:
    """Fetch many feeds at once (network-bound threads); returns (source, FeedFetch) pairs."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = pool.map(lambda s: fetch(s.url, etag=s.etag, modified=s.modified), sources)
        return list(zip(sources, results, strict=True))
