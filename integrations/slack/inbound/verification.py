"""Slack request signatures (DESIGN.md §3.9): v0 HMAC over the raw body, 5-minute window.

Everything before the HMAC check looks at attacker-controlled bytes, so it must not be
able to raise (security review M1): the timestamp is accepted only as 1–12 ASCII digits,
the HMAC is computed over the raw body bytes (never decoded first), and the comparison is
on bytes. A request that fails any of it is a 401, logged as one warning line.

Commands, interactivity and options are also processed once per signed request
(``once_per_signature``, review L1): Slack never resends those, so an identical signature
seen again inside the window is a replay, acknowledged with an empty 200 and not acted on.
"""

import hashlib
import hmac
import logging
import time
from functools import wraps

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

TIMESTAMP_HEADER = "X-Slack-Request-Timestamp"
SIGNATURE_HEADER = "X-Slack-Signature"
WINDOW_SECONDS = 300
# Unix seconds have 10 digits until the year 2286; anything longer is not a timestamp.
MAX_TIMESTAMP_DIGITS = 12


def _expected(secret: str, timestamp: str, body: bytes) -> bytes:
    base = b"v0:" + timestamp.encode("ascii") + b":" + body
    return b"v0=" + hmac.new(secret.encode("utf-8"), base, hashlib.sha256).hexdigest().encode("ascii")


def signature_problem(body: bytes, headers, *, now: float | None = None) -> str | None:
    """Why the request is not Slack's, or None when the signature is valid. Never raises."""
    timestamp = headers.get(TIMESTAMP_HEADER)
    signature = headers.get(SIGNATURE_HEADER)
    if not timestamp or not signature:
        return "missing signature headers"
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= MAX_TIMESTAMP_DIGITS):
        return "malformed timestamp"
    now = time.time() if now is None else now
    if abs(now - int(timestamp)) > WINDOW_SECONDS:
        return "timestamp outside the 5-minute window"
    # Header values arrive as latin-1 decoded text (WSGI), so this round-trips every byte.
    given = signature.encode("latin-1", errors="replace")
    if not hmac.compare_digest(_expected(settings.SLACK_SIGNING_SECRET, timestamp, body), given):
        return "bad signature"
    return None


def slack_signed(view):
    """Refuse anything not signed by Slack: 401, or 503 while no signing secret is configured.

    Reads ``request.body`` (the raw bytes) before anything touches ``request.POST``.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "POST":
            return HttpResponse(status=405, headers={"Allow": "POST"})
        if not settings.SLACK_SIGNING_SECRET:
            return JsonResponse(
                {"message": _("Slack is not connected: set SLACK_SIGNING_SECRET (see README, Connecting Slack).")},
                status=503,
            )
        body = request.body
        problem = signature_problem(body, request.headers)
        if problem:
            logger.warning("Slack request to %s refused: %s", request.path, problem)
            return JsonResponse({"message": _("Invalid Slack signature.")}, status=401)
        return view(request, *args, **kwargs)

    return wrapper


def claim_once(key: str) -> bool:
    """Record ``key`` on its unique column; False when it was recorded before.

    One statement, INSERT … ON CONFLICT DO NOTHING (PostgreSQL and SQLite alike): no
    savepoint and no IntegrityError to recover from, so every signed Slack request pays one
    query for its replay guard. A database that is down does not turn into a refusal here:
    the view behind answers politely on its own, and a replay cannot be processed without
    the database anyway.
    """
    from integrations.slack.inbound.models import SlackRequestNonce

    quote = connection.ops.quote_name
    table, key_column, at_column = (quote(name) for name in (SlackRequestNonce._meta.db_table, "key", "received_at"))
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({key_column}, {at_column}) VALUES (%s, %s)"
                f" ON CONFLICT ({key_column}) DO NOTHING",
                [key[:80], timezone.now()],
            )
            return cursor.rowcount == 1
    except DatabaseError:
        logger.warning("Slack replay guard unavailable (database error); request processed")
        return True


def forget(key: str) -> None:
    from integrations.slack.inbound.models import SlackRequestNonce

    SlackRequestNonce.objects.filter(key=key[:80]).delete()


def once_per_signature(view):
    """Act on each signed request once: an identical signature seen again is a replay."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        signature = request.headers.get(SIGNATURE_HEADER, "").encode("latin-1", errors="replace")
        if not claim_once("sig:" + hashlib.sha256(signature).hexdigest()):
            logger.warning("Replayed Slack request to %s ignored", request.path)
            return HttpResponse(status=200)
        return view(request, *args, **kwargs)

    return wrapper
