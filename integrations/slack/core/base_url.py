"""The portal's address for links in Slack messages when PORTAL_BASE_URL is not set.

Messages are rendered in the worker, which never sees a request. The web process remembers
the address people reach the portal by (scheme and host of a signed-in request) in the
shared cache; the worker's links use it. PORTAL_BASE_URL, when set, always wins.
"""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost

CACHE_KEY = "haru:portal-base-url"
_last_seen = {"value": None}  # per process: write the cache only when the address changes


def portal_base_url() -> str:
    if settings.PORTAL_BASE_URL_SET:
        return settings.PORTAL_BASE_URL
    return cache.get(CACHE_KEY) or settings.PORTAL_BASE_URL


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
        return response
