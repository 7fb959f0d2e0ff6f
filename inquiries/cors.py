"""CORS for the intake API: django-cors-headers answers preflights and adds the headers; this
hook only says whether an origin is allowed, from the posted-to site's own allow-list.

CORS_ALLOWED_ORIGINS (settings) still applies to every path in CORS_URLS_REGEX; a site's
origins are allowed for that site's URL only.
"""

from .models import Site

SUBMIT_PREFIX = "/api/inquiries/submit/"


def allow_site_origins(sender, request, **kwargs) -> bool:
    if not request.path.startswith(SUBMIT_PREFIX):
        return False
    key = request.path[len(SUBMIT_PREFIX) :].strip("/").split("/", 1)[0]
    origin = request.headers.get("Origin", "").rstrip("/")
    if not key or not origin:
        return False
    site = Site.objects.filter(key=key, is_active=True).only("allowed_origins").first()
    return site is not None and origin in site.origin_list()
