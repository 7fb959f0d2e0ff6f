"""The portal's address for links in Slack messages when PORTAL_BASE_URL is not set.

Messages are rendered in the worker, which never sees a request. The web process remembers
the address people reach the portal by (scheme and host of a signed-in request) in the
shared cache; the worker's links use it. PORTAL_BASE_URL, when set, always wins.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost

CACHE_KEY = "haru:portal-base-url"
# A worker renders a card with several links, hundreds of cards a minute in a burst: the shared
# value is read at most this often per process (it changes when the portal moves, i.e. never).
READ_EVERY_SECONDS = 5.0
_last_seen = {"value": None}  # per process: write the cache only when the address changes
_last_read = {"value": None, "at": float("-inf")}


def portal_base_url() -> str:
    if settings.PORTAL_BASE_URL_SET:
        return settings.PORTAL_BASE_URL
    now = time.monotonic()
    if now - _last_read["at"] >= READ_EVERY_SECONDS:
        _last_read.update(value=cache.get(CACHE_KEY), at=now)
    return _last_read["value"] or settings.PORTAL_BASE_URL


def forget_read() -> None:
    """Tests: the next call reads the shared value again."""
    _last_read.update(value=None, at=float("-inf"))


class RememberBaseUrlMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not settings.PORTAL_BASE_URL_SET and getattr(request, "user", None) and request.user.is_authenticated:
            try:
                base = f"{request.scheme}://{request.get_host()}"
            except DisallowedHost:  # the response is already a 400
                return response
            if base != _last_seen["value"]:
                cache.set(CACHE_KEY, base, timeout=None)
                _last_seen["value"] = base
                _last_read.update(value=base, at=time.monotonic())
        return response
