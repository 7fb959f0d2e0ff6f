"""Slack request signatures (DESIGN.md §3.9): v0 HMAC over the raw body, 5-minute window."""

import logging
from functools import wraps

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from slack_sdk.signature import SignatureVerifier

logger = logging.getLogger(__name__)

TIMESTAMP_HEADER = "X-Slack-Request-Timestamp"
SIGNATURE_HEADER = "X-Slack-Signature"


def signature_problem(body: bytes, headers) -> str | None:
    """Why the request is not Slack's, or None when the signature is valid.

    slack_sdk's verifier does the HMAC, the constant-time compare and the ±300 s window;
    a non-numeric timestamp would make it raise, so that case is caught first.
    """
    timestamp = headers.get(TIMESTAMP_HEADER)
    signature = headers.get(SIGNATURE_HEADER)
    if not timestamp or not signature:
        return "missing signature headers"
    if not timestamp.isdigit():
        return "malformed timestamp"
    verifier = SignatureVerifier(settings.SLACK_SIGNING_SECRET)
    if not verifier.is_valid(body=body, timestamp=timestamp, signature=signature):
        return "bad signature or timestamp outside the 5-minute window"
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
