"""A Redis cache that a hung or dead Redis cannot slow down (security review M6).

Redis that accepts connections and never answers used to cost every cache call its full
socket timeout (1 s), so one ticket creation took 3–5 s and Slack gave up on the modal.
Here every call has a short timeout (``HARU_CACHE_TIMEOUT``, 0.1 s), and the first failure
opens a circuit breaker for ``HARU_CACHE_BREAKER_SECONDS`` (10 s): meanwhile calls do not
touch Redis at all and answer as a cache that holds nothing (``get`` → default, ``add`` →
True, so callers go on as if they were alone). A request pays at most one timeout: the
breaker is shared with the broker publish when both use the same Redis (redis_outage.py),
and the client is built at start-up (CoreConfig.ready), not in the first request.

Callers need nothing special: the cache is only ever an optimisation in this project
(calendar version, Slack pacing hints, throttle counters).
"""

import logging

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache

from . import redis_outage

logger = logging.getLogger(__name__)


class CircuitBreakerRedisCache(RedisCache):
    def __init__(self, server, params):
        options = params.get("OPTIONS", {})
        self.breaker_seconds = float(options.pop("breaker_seconds", 10))
        super().__init__(server, params)
        # The breaker is shared with the broker publish when both use this Redis
        # (redis_outage): one timeout per request, not one per client.
        self._location = server if isinstance(server, str) else ",".join(server)

    def _guarded(self, name: str, fallback, *args, **kwargs):
        if redis_outage.is_down(self._location):
            return fallback
        try:
            return getattr(super(), name)(*args, **kwargs)
        except Exception as exc:  # redis ConnectionError / TimeoutError, a broken pool …
            redis_outage.mark_down(self._location, self.breaker_seconds)
            logger.warning("Cache unavailable for %ss (%s: %s)", self.breaker_seconds, type(exc).__name__, exc)
            return fallback

    def is_open(self) -> bool:
        return redis_outage.is_down(self._location)

    def warm_up(self) -> None:
        """Build the client and its connection pool now (no network I/O): importing redis-py
        and setting up the pool took the first request of a process 0.2–0.4 s."""
        self._cache.get_client(write=True)

    def get(self, key, default=None, version=None):
        return self._guarded("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._guarded("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._guarded("has_key", False, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("add", True, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("set", None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("set_many", [], data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._guarded("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._guarded("delete_many", None, keys, version)

    def incr(self, key, delta=1, version=None):
        return self._guarded("incr", delta, key, delta, version)

    def clear(self):
        return self._guarded("clear", False)


class DiskTolerantFileBasedCache(FileBasedCache):
    """The embedded default's shared file cache, which a full disk cannot turn into a 500.

    Django's FileBasedCache raises OSError (ENOSPC) from ``set`` when the disk is full.
    Here such a write is skipped and logged: the cache only ever holds hints (see above),
    so a missing entry costs a recomputation. Other OSErrors still raise.
    """

    def _tolerant(self, name: str, fallback, *args):
        from erp.core.diskfull import is_disk_full

        try:
            return getattr(super(), name)(*args)
        except OSError as exc:
            if not is_disk_full(exc):
                raise
            logger.warning("File cache write skipped, the disk is full (%s): %s", self._dir, exc)
            return fallback

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._tolerant("set", None, key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # True, as the Redis breaker answers: callers go on as if they were alone.
        return self._tolerant("add", True, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._tolerant("touch", False, key, timeout, version)
