"""A full disk is an answer, not a crash: 507 with a message, nothing half-written.

Uploads (MEDIA_ROOT), the embedded default's SQLite file, file cache and file broker all
live on local disks that can fill up. When a write fails for lack of space:

- the request's transaction has rolled back (services write inside ``transaction.atomic``),
  so nothing was accepted and nothing already stored is touched;
- the person gets HTTP 507 Insufficient Storage with a message in their language (JSON for
  the API and Slack endpoints, the error page otherwise) instead of a 500;
- ``/healthz`` reports not ok while the free space is under ``HARU_MIN_FREE_BYTES``
  (erp/core/health.py ``check_disk``), and the system status page shows the free bytes.

The file cache skips writes it cannot make (erp/core/cache.py), the outbox publish leaves
its row pending for the sweeper (integrations/slack/core/outbox.py), and the logging module
reports a failed log write on stderr without raising: none of them fail a request.
"""

import errno
import logging

from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

NO_SPACE_ERRNOS = {errno.ENOSPC, errno.EDQUOT}
# PostgreSQL's disk_full class (53100) and SQLite's SQLITE_FULL message.
PG_DISK_FULL = "53100"
SQLITE_FULL_TEXT = "database or disk is full"


def is_disk_full(exc: BaseException | None) -> bool:
    """True when ``exc`` (or what caused it) is a write refused for lack of space."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in NO_SPACE_ERRNOS:
            return True
        if getattr(exc, "sqlstate", None) == PG_DISK_FULL:
            return True
        if SQLITE_FULL_TEXT in str(exc) or "No space left on device" in str(exc):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _wants_json(request) -> bool:
    path = request.path
    return (
        path.startswith(("/api/", "/slack/", "/webhooks/"))
        or "application/json" in request.headers.get("Accept", "")
        or request.content_type == "application/json"
    )


def disk_full_message() -> str:
    """What the person is told, on the web, in the API and in Slack (ephemeral)."""
    return _(
        "The server has run out of storage space, so nothing was saved. "
        "Please try again later; the problem has been logged for the administrators."
    )


def disk_full_response(request) -> HttpResponse:
    message = disk_full_message()
    if _wants_json(request):
        return JsonResponse({"message": message, "code": "insufficient_storage"}, status=507)
    return HttpResponse(render_to_string("507.html", {"message": message}, request=None), status=507)


class DiskFullMiddleware:
    """Turns an out-of-space error anywhere in a view into a 507 (after the rollback)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_disk_full(exception):
            return None
        logger.error("Out of storage space answering %s %s: %s", request.method, request.path, exception)
        return disk_full_response(request)
