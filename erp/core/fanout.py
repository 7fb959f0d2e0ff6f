"""Side by side: one request's independent database reads run at once, each on a connection of its own.

The history search asks nine sources the same question, each a few small queries (a probe, the
first hits, a capped count). In series their round trips and the database's work add up: the
cross-module first page cost the sum of nine single-module ones (bench/README.md, issue 14).
``side_by_side(function, items)`` runs ``function(item)`` for every item in a small, long-lived
pool of threads, so PostgreSQL answers several sources at once (it runs each connection in a
process of its own) while Python prepares the next.

When it runs them one after another instead, with the same results:
- the request's connection is inside a transaction (``atomic``; every TestCase): a thread's own
  connection would not see what that transaction wrote, nor what it locked;
- the database is not PostgreSQL (SQLite, the embedded default, serialises writers anyway and
  gains nothing), or FANOUT_THREADS is 0 or 1;
- there is at most one item.

Each thread keeps its connection the way a request does (CONN_MAX_AGE, health checks): checked
before a task and closed after it when it is too old or broken. The language and time zone of
the calling request are carried into the threads (they are per thread, and hits are rendered
there). An exception in one task is raised in the caller, as in series.
"""

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier, Lock
from typing import TypeVar

from django.conf import settings
from django.db import connection
from django.utils import timezone, translation

T = TypeVar("T")
R = TypeVar("R")

_pool: ThreadPoolExecutor | None = None
_pool_workers = 0
_pool_lock = Lock()


def threads() -> int:
    return int(getattr(settings, "FANOUT_THREADS", 4))


def may_fan_out() -> bool:
    return threads() > 1 and connection.vendor == "postgresql" and not connection.in_atomic_block


def side_by_side(function: Callable[[T], R], items: Iterable[T]) -> list[R]:
    """``[function(item) for item in items]``, the calls running at once when they may (see above)."""
    items = list(items)
    if len(items) < 2 or not may_fan_out():
        return [function(item) for item in items]
    language, zone = translation.get_language(), timezone.get_current_timezone()

    def run(item: T) -> R:
        connection.close_if_unusable_or_obsolete()
        try:
            with translation.override(language), timezone.override(zone):
                return function(item)
        finally:
            connection.close_if_unusable_or_obsolete()

    futures = [_executor().submit(run, item) for item in items[1:]]
    results = [function(items[0])]  # the caller's thread takes a share instead of only waiting
    for item, future in zip(items[1:], futures, strict=True):
        # A call no thread has started yet (they are busy with other requests' calls) is run
        # here rather than waited for: a busy process degrades to one after another, no worse.
        results.append(function(item) if future.cancel() else future.result())
    return results


def _executor() -> ThreadPoolExecutor:
    global _pool, _pool_workers
    with _pool_lock:
        if _pool is None:
            _pool_workers = threads() - 1  # the caller's thread is the last one
            _pool = ThreadPoolExecutor(max_workers=_pool_workers, thread_name_prefix="fanout")
        return _pool


def close_connections() -> None:
    """Close every pool thread's database connection (the test suite, before its database is
    dropped). A connection may only be closed by its own thread: one task per thread, each held
    at a barrier until all have closed theirs, so that no thread takes two."""
    with _pool_lock:
        pool, workers = _pool, _pool_workers
    if pool is None:
        return
    everyone = Barrier(workers, timeout=30)

    def close() -> None:
        connection.close()
        everyone.wait()

    for future in [pool.submit(close) for _ in range(workers)]:
        future.result()
