"""Best-effort Slack calls made after the acknowledgement, off the request thread.

Why not the outbox: these calls only refresh a view of data that is already committed —
replacing an ephemeral message through its ``response_url`` (valid 30 minutes, 5 uses,
not addressable by chat.update) and publishing a Home tab. Both are re-rendered from the
database the next time the person looks, so losing one on a crash costs nothing, while
routing them through Celery would make them depend on the broker (down → no refresh) and
add a hop. They run on a small per-process thread pool once the request's transaction
commits, with a short timeout, so the 3-second ack never waits for Slack.

Channel messages are different: they are durable records and go through the outbox.
"""

import json
import logging
import threading
import urllib.request
from concurrent.futures import Future, ThreadPoolExecutor, wait
from urllib.parse import urlsplit

from django.conf import settings
from django.db import close_old_connections, transaction

logger = logging.getLogger(__name__)

RESPONSE_URL_TIMEOUT_SECONDS = 5
_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()
_pending: set[Future] = set()
_pending_lock = threading.Lock()


def _pool() -> ThreadPoolExecutor:
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="slack-deferred")
        return _executor


def _run(fn, args, kwargs) -> None:
    try:
        fn(*args, **kwargs)
    except OSError as exc:  # URLError, timeouts, refused connections: Slack unreachable
        logger.warning("Deferred Slack call %s failed: %s", getattr(fn, "__name__", fn), exc)
    except Exception:
        logger.exception("Deferred Slack call %s failed", getattr(fn, "__name__", fn))
    finally:
        close_old_connections()  # worker threads must not keep DB connections open


def defer(fn, *args, **kwargs) -> None:
    """Run ``fn(*args, **kwargs)`` on the pool after the current transaction commits."""

    def submit():
        future = _pool().submit(_run, fn, args, kwargs)
        with _pending_lock:
            _pending.add(future)
        future.add_done_callback(lambda done: _discard(done))

    transaction.on_commit(submit, robust=True)


def _discard(future: Future) -> None:
    with _pending_lock:
        _pending.discard(future)


def wait_deferred(timeout: float = 10) -> None:
    """Block until every deferred call submitted so far has finished (tests, shutdown)."""
    with _pending_lock:
        futures = list(_pending)
    if futures:
        wait(futures, timeout=timeout)


def response_url_allowed(url: str) -> bool:
    """Only Slack's hooks host (or the configured API stand-in): never post to arbitrary URLs."""
    parts = urlsplit(url or "")
    if parts.scheme == "https" and parts.hostname == "hooks.slack.com":
        return True
    api = urlsplit(settings.SLACK_API_BASE_URL)
    return bool(parts.hostname) and (parts.scheme, parts.netloc) == (api.scheme, api.netloc)


def post_response_url(url: str, body: dict) -> int | None:
    """POST ``body`` as JSON to a response_url; returns the HTTP status (None if refused)."""
    if not response_url_allowed(url):
        logger.warning("Refusing to post to a response_url outside Slack: %s", url)
        return None
    data = json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json; charset=utf-8"})
    with urllib.request.urlopen(request, timeout=RESPONSE_URL_TIMEOUT_SECONDS) as response:
        return response.status


def respond_later(url: str, body: dict) -> None:
    """Send ``body`` to the interaction's response_url after commit (no-op without a URL)."""
    if url:
        defer(post_response_url, url, body)
