"""One per-process record of which Redis servers are hung or down, shared by the cache
(erp/core/cache.py) and the Slack outbox's broker publish (review M6, issue 15).

Both usually point at the same Redis. Each had its own circuit breaker, so the first request
after Redis hung paid the cache's timeout (0.1 s) *and* the publish deadline (0.2 s) on top
of its own work, past the 300 ms budget. Keyed by ``host:port``: whichever notices first
marks the server down, and the other skips it without waiting.

State is per process (each gunicorn worker finds out on its own, once); a settings change
of CACHES or CELERY_BROKER_URL (tests) forgets it.
"""

import time
from urllib.parse import urlsplit

from django.core.signals import setting_changed
from django.dispatch import receiver

_down_until: dict[str, float] = {}


def server_of(url: str) -> str:
    """``redis://:pw@host:6379/0`` → ``host:6379``; "" for anything that is not Redis."""
    first = (url or "").split(",", 1)[0].strip()
    if not first.startswith(("redis://", "rediss://")):
        return ""
    try:
        parts = urlsplit(first)
        return f"{parts.hostname or 'localhost'}:{parts.port or 6379}"
    except ValueError:
        return ""


def is_down(url: str) -> bool:
    server = server_of(url)
    return bool(server) and time.monotonic() < _down_until.get(server, 0.0)


def mark_down(url: str, seconds: float) -> None:
    server = server_of(url)
    if server:
        _down_until[server] = max(_down_until.get(server, 0.0), time.monotonic() + seconds)


def forget(url: str | None = None) -> None:
    """Forget one server's outage (a probe is due), or every one."""
    if url is None:
        _down_until.clear()
    else:
        _down_until.pop(server_of(url), None)


@receiver(setting_changed)
def _forget_on_new_servers(setting, **kwargs):
    if setting in ("CACHES", "CELERY_BROKER_URL"):
        forget()
