"""How a failed Slack call should be handled: retry later, back off, or give up.

Modelled on Grafana OnCall's ``slack/errors.py``: every error is classified once here so
the delivery task never loops on an error that cannot heal by itself.
"""

import http.client
import socket
from dataclasses import dataclass
from urllib.error import URLError

from slack_sdk.errors import SlackApiError, SlackRequestError

RATE_LIMITED = "rate_limited"
TRANSIENT = "transient"
PERMANENT = "permanent"

# Retry-After is mandatory on 429, but never trust a missing or absurd header.
DEFAULT_RETRY_AFTER = 30
MAX_RETRY_AFTER = 3600

# Errors a retry cannot fix: configuration, permissions or the payload itself.
PERMANENT_ERRORS = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "no_permission",
        "missing_scope",
        "org_login_required",
        "ekm_access_denied",
        "team_access_not_granted",
        "invalid_blocks",
        "invalid_blocks_format",
        "invalid_attachments",
        "msg_too_long",
        "too_many_attachments",
        "no_text",
        "restricted_action",
        "restricted_action_read_only_channel",
        "restricted_action_thread_only_channel",
        "restricted_action_non_threadable_channel",
        "cant_update_message",
        "edit_window_closed",
        "message_not_found",
        "user_not_found",
        "user_not_visible",
        "user_disabled",
        "users_not_found",
        "cannot_dm_bot",
        "invalid_arguments",
        "invalid_name",
        "invalid_name_specials",
        "invalid_name_maxlength",
        "invalid_name_required",
        "duplicate_channel_not_found",
    }
)
# ok:false answers Slack documents as temporary on its side.
TRANSIENT_ERRORS = frozenset(
    {"internal_error", "fatal_error", "service_unavailable", "request_timeout", "team_added_to_org"}
)


@dataclass(frozen=True)
class Classified:
    kind: str  # RATE_LIMITED, TRANSIENT or PERMANENT
    code: str  # Slack's error string or a short local name, for admin filters
    detail: str
    retry_after: int = 0
    # The request may have reached Slack (a timeout): a retry can post a duplicate.
    ambiguous: bool = False


def _retry_after(exc: SlackApiError) -> int:
    headers = {key.lower(): value for key, value in (exc.response.headers or {}).items()}
    try:
        seconds = int(float(headers.get("retry-after", DEFAULT_RETRY_AFTER)))
    except (TypeError, ValueError):
        seconds = DEFAULT_RETRY_AFTER
    return min(max(seconds, 1), MAX_RETRY_AFTER)


def _is_timeout(exc: BaseException) -> bool:
    if isinstance(exc, (TimeoutError, socket.timeout)):
        return True
    return isinstance(exc, URLError) and isinstance(exc.reason, (TimeoutError, socket.timeout))


def classify(exc: BaseException) -> Classified:
    """Map an exception raised by a slack_sdk call to what the outbox should do next."""
    if isinstance(exc, SlackApiError):
        status = exc.response.status_code
        error = str(exc.response.get("error", "") if isinstance(exc.response.data, dict) else "") or "unknown_error"
        if status == 429 or error == "ratelimited":
            return Classified(RATE_LIMITED, "ratelimited", f"HTTP {status} ratelimited", retry_after=_retry_after(exc))
        if status >= 500:
            return Classified(TRANSIENT, f"http_{status}", f"HTTP {status} from Slack")
        if error in TRANSIENT_ERRORS:
            return Classified(TRANSIENT, error, error)
        # Unknown ok:false errors are treated as permanent: looping on them helps nobody,
        # and the admin retry action is there once the cause is fixed.
        return Classified(PERMANENT, error[:80], error)
    if _is_timeout(exc):
        return Classified(TRANSIENT, "timeout", f"timed out: {exc}", ambiguous=True)
    if isinstance(exc, http.client.HTTPException):
        # The connection broke mid-answer: Slack may have acted on the request.
        return Classified(TRANSIENT, "connection_error", f"broken answer: {exc!r}", ambiguous=True)
    if isinstance(exc, (URLError, ConnectionError, OSError)):
        return Classified(TRANSIENT, "connection_error", f"connection error: {exc}")
    if isinstance(exc, SlackRequestError):
        return Classified(PERMANENT, "request_error", str(exc))
    raise exc
