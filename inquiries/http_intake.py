"""The HTTP side of the intake, shared by the public API and the hosted contact page.

- which site a post is for, and its optional API key;
- the body: JSON, or a classic form post (urlencoded or multipart) in UTF-8, or in
  CP949/EUC-KR when the form says so (charset parameter, the ``_charset_`` field) or when the
  bytes are not UTF-8 but read as Korean in CP949. Anything else is refused (400) with a
  message asking for UTF-8, never stored as mojibake;
- rate limits per client IP and per e-mail (django-ratelimit's fixed windows in the Django
  cache) answering 429 with Retry-After; a cache outage lets posts through (fail open):
  losing a real inquiry is worse than a burst of spam, which the other rules still catch;
- the visitor's IP (REMOTE_ADDR, or INQUIRIES_CLIENT_IP_HEADER behind a proxy) and agent.
"""

import codecs
import ipaddress
import json
import logging
import re
import time
from urllib.parse import unquote_to_bytes

from django.http import QueryDict
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage
from rest_framework import exceptions

from erp.core.pii import mask_pii
from erp.core.prepared import PreparedQuery

from .conf import setting
from .models import Site
from .services.config import key_digest

logger = logging.getLogger(__name__)

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
JSON_TYPE = "application/json"
KOREAN_LEGACY = ("cp949", "euc-kr", "euc_kr", "ks_c_5601-1987", "uhc", "x-windows-949", "ms949")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
MAX_FIELDS = 60


class Undecodable(exceptions.ParseError):
    default_detail = ""


def _undecodable() -> Undecodable:
    return Undecodable(
        _("The form could not be read: send it in UTF-8 (or declare charset=EUC-KR for a Korean legacy form).")
    )


def media_type(request) -> tuple[str, str]:
    """(media type, declared charset) of the request, both lower-case."""
    content_type = request.META.get("CONTENT_TYPE", "")
    main, _sep, params = content_type.partition(";")
    charset = ""
    for param in params.split(";"):
        name, _eq, value = param.strip().partition("=")
        if name.lower() == "charset":
            charset = value.strip().strip('"').lower()
    return main.strip().lower(), charset


def _codec(name: str) -> str | None:
    """A Python codec for a declared charset: UTF-8, or CP949 for every Korean legacy name."""
    if not name:
        return None
    if name in KOREAN_LEGACY:
        return "cp949"  # a superset of EUC-KR: forms declared EUC-KR often hold CP949-only syllables
    try:
        found = codecs.lookup(name).name
    except LookupError:
        raise exceptions.ParseError(_("Unknown charset “%(charset)s”; send UTF-8.") % {"charset": name[:40]})
    if found not in ("utf-8", "cp949", "euc_kr"):
        raise exceptions.ParseError(_("Unsupported charset “%(charset)s”; send UTF-8.") % {"charset": name[:40]})
    return "cp949" if found == "euc_kr" else found


def decode_text(raw: bytes, declared: str | None) -> str:
    """``raw`` as text: the declared codec strictly; undeclared, UTF-8 or else Korean CP949."""
    if declared:
        try:
            return raw.decode(declared)
        except UnicodeDecodeError:
            raise _undecodable() from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("cp949")
    except UnicodeDecodeError:
        raise _undecodable() from None
    # Bytes that happen to be valid CP949 but hold no Hangul are not a Korean form: refuse
    # rather than store a guess.
    if not _HANGUL.search(text):
        raise _undecodable()
    return text


def parse_urlencoded(body: bytes, charset: str) -> dict:
    # Split and unquote to bytes first (urllib's parse_qsl would decode with one fixed codec and
    # replace what does not fit); each value is decoded afterwards with the form's charset.
    pieces = [piece for piece in body.split(b"&") if piece]
    if len(pieces) > MAX_FIELDS:
        raise exceptions.ParseError(_("Too many fields in the form."))
    raw = {}
    for piece in pieces:
        key, _sep, value = piece.partition(b"=")
        raw[unquote_to_bytes(key.replace(b"+", b" "))] = unquote_to_bytes(value.replace(b"+", b" "))
    declared = _codec(charset) or _codec(raw.get(b"_charset_", b"").decode("ascii", "replace").strip().lower())
    return {decode_text(key, declared): decode_text(value, declared) for key, value in raw.items()}


def parse_multipart(request, charset: str) -> dict:
    # Django decodes multipart fields with request.encoding (UTF-8 unless declared); a field
    # that is not valid in it would come back with replacement characters, so refuse those.
    django_request = getattr(request, "_request", request)  # DRF's Request would use its own parsers
    django_request.encoding = _codec(charset) or "utf-8"
    try:
        post: QueryDict = django_request.POST
    except Exception:
        raise exceptions.ParseError(_("The form could not be read."))
    data = {key: post.get(key) for key in post}
    if len(data) > MAX_FIELDS:
        raise exceptions.ParseError(_("Too many fields in the form."))
    if any("\ufffd" in (value or "") for value in data.values()):
        raise _undecodable()
    return data


def parse_json(body: bytes, charset: str) -> dict:
    text = decode_text(body, _codec(charset) or "utf-8")
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise exceptions.ParseError(_("The body is not valid JSON: %(error)s") % {"error": exc})
    if not isinstance(data, dict):
        raise exceptions.ParseError(_("Send one JSON object with the inquiry's fields."))
    return data


def parse_body(request, body: bytes) -> tuple[dict, bool]:
    """(fields, is_json); 415 for other media types, 400 for bodies that cannot be read."""
    kind, charset = media_type(request)
    if not body:
        raise exceptions.ParseError(_("The request has no body: send the inquiry's fields."))
    if kind == JSON_TYPE:
        return parse_json(body, charset), True
    if kind == FORM_TYPES[0]:
        return parse_urlencoded(body, charset), False
    if kind == FORM_TYPES[1]:
        return parse_multipart(request, charset), False
    raise exceptions.UnsupportedMediaType(
        kind or "-", detail=_("Send JSON or a form post (application/x-www-form-urlencoded).")
    )


# --- sites and keys -----------------------------------------------------------------------


# Every submission starts with this look-up: compiled once per process. A slice, not first():
# the key is unique, and first() would add an ORDER BY.
_ACTIVE_SITE = PreparedQuery(lambda key: Site.objects.filter(key=key, is_active=True)[:1], str)


def active_site(key: str) -> Site | None:
    found = _ACTIVE_SITE.all(key) if key else []
    return found[0] if found else None


def presented_key(request) -> str:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header.startswith("Bearer "):
        return header[7:].strip()
    return request.META.get("HTTP_X_INQUIRY_KEY", "").strip()


def key_matches(site: Site, key: str) -> bool:
    import hmac

    return bool(site.api_key_digest) and hmac.compare_digest(site.api_key_digest, key_digest(key))


# --- the visitor --------------------------------------------------------------------------


def client_ip(request) -> str | None:
    header = setting("INQUIRIES_CLIENT_IP_HEADER")
    value = request.META.get("REMOTE_ADDR", "")
    if header:
        forwarded = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        # The proxy appends the address it saw: the last entry is the one it vouches for.
        value = forwarded.split(",")[-1].strip() or value
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


# --- rate limits --------------------------------------------------------------------------

# After a cache failure this process skips the limits for a while instead of paying the
# cache's connect timeout on every post.
CACHE_BACKOFF_SECONDS = 10
_cache_down_until = 0.0


def _over_limit(request, group: str, value: str, rate: str) -> int:
    """Seconds to wait when ``value`` is over ``rate`` in ``group`` (0: go ahead)."""
    global _cache_down_until
    if not value or not rate or time.monotonic() < _cache_down_until:
        return 0
    try:
        usage = get_usage(request, group=group, key=lambda _group, _request: value, rate=rate, increment=True)
    except Exception as exc:  # the cache (Redis) is down: let the post through
        _cache_down_until = time.monotonic() + CACHE_BACKOFF_SECONDS
        logger.warning("Inquiry rate limits skipped, cache unavailable: %s", mask_pii(str(exc)))
        return 0
    if usage is None or not usage["should_limit"]:
        return 0
    return max(1, int(usage["time_left"]))


def over_limit(group: str, value: str, rate: str) -> int:
    """The same fixed-window limits for intake without an HTTP request (the e-mail intake)."""
    return _over_limit(None, group, value, rate)


class TooManyInquiries(exceptions.Throttled):
    """429 with Retry-After (DRF sets the header from ``wait``)."""

    def __init__(self, wait: int):
        # Not super(wait=…): DRF would append its own "Expected available in …" sentence.
        super().__init__(
            detail=_("Too many inquiries were sent. Please try again in %(seconds)d seconds.") % {"seconds": wait}
        )
        self.wait = wait


def check_ip_rate(request, ip: str | None) -> None:
    wait = _over_limit(request, "inquiries.ip", ip or "", setting("INQUIRIES_RATE_PER_IP"))
    if wait:
        raise TooManyInquiries(wait)


def check_email_rate(request, email: str) -> None:
    wait = _over_limit(request, "inquiries.email", (email or "").lower(), setting("INQUIRIES_RATE_PER_EMAIL"))
    if wait:
        raise TooManyInquiries(wait)
