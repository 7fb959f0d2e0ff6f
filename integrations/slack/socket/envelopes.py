"""One Socket Mode envelope → the same dispatch as the HTTP endpoints → the ack to send.

Socket Mode carries exactly what the request URLs would receive (DESIGN.md §3.9), minus
the HTTP signature: the WebSocket itself was opened with the app-level token. So an
envelope is turned into the shape the HTTP views parse and handed to the dispatch they
use (integrations.slack.inbound.views.*_response): identity, permissions, event dedupe,
modals and replies are one code path for both transports.

Acks: ``{"envelope_id": …}``, with ``payload`` (slash-command reply, view_submission
response_action) only when the envelope says ``accepts_response_payload``. An event whose
handler failed is not acknowledged, so Slack delivers it again, as the HTTP 503 asks.
"""

import json
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from integrations.slack.inbound import views
from integrations.slack.inbound.identity import bilingual
from integrations.slack.inbound.payloads import BadPayload, interaction_from_payload
from integrations.slack.inbound.replies import ephemeral, something_went_wrong
from integrations.slack.socket.models import EnvelopeStatus, SocketEnvelope

logger = logging.getLogger(__name__)

KINDS = ("slash_commands", "interactive", "events_api")
# An envelope "processing" this long belongs to a process that died before finishing it:
# a redelivery may take it over. Handlers finish within Slack's 3 s, so this is generous.
STALE_CLAIM = timedelta(seconds=30)


@dataclass(frozen=True)
class Outcome:
    """What to send back: ``ack`` None means "do not acknowledge" (Slack will redeliver)."""

    ack: dict | None
    duplicate: bool = False


def ack_for(envelope_id: str, payload: dict | None, accepts_payload: bool) -> dict:
    ack = {"envelope_id": envelope_id}
    if payload and accepts_payload:
        ack["payload"] = payload
    return ack


def handle(message: dict, *, handled_by: str = "") -> Outcome | None:
    """Handle one frame that carries an envelope; None for frames that need no ack."""
    envelope_id = message.get("envelope_id")
    kind = message.get("type")
    if not isinstance(envelope_id, str) or not envelope_id or len(envelope_id) > 64:
        return None  # hello, disconnect, or a malformed frame: nothing to acknowledge
    accepts = bool(message.get("accepts_response_payload"))
    if kind not in KINDS:
        logger.info("Socket Mode envelope %s of unknown type %r acknowledged unhandled", envelope_id, kind)
        return Outcome(ack_for(envelope_id, None, accepts))
    claimed, previous = _claim(envelope_id, kind, handled_by)
    if not claimed:
        if previous is None:
            return Outcome(None, duplicate=True)  # still running elsewhere: its holder acks
        return Outcome(ack_for(envelope_id, previous, accepts), duplicate=True)
    status, payload = _dispatch(kind, message.get("payload"), message)
    if status >= 500:
        SocketEnvelope.objects.filter(envelope_id=envelope_id).delete()
        return Outcome(None)
    SocketEnvelope.objects.filter(envelope_id=envelope_id).update(status=EnvelopeStatus.DONE, response=payload)
    return Outcome(ack_for(envelope_id, payload, accepts))


def _claim(envelope_id: str, kind: str, handled_by: str) -> tuple[bool, dict | None]:
    """(True, None) when this process handles it; else (False, stored answer or None).

    A committed INSERT on the unique envelope_id: two processes receiving the same
    envelope cannot both win. A finished envelope returns its stored answer ({} if none).
    """
    try:
        with transaction.atomic():
            SocketEnvelope.objects.create(envelope_id=envelope_id, kind=kind, handled_by=handled_by[:120])
        return True, None
    except IntegrityError:
        pass
    SocketEnvelope.objects.filter(envelope_id=envelope_id).update(duplicates=F("duplicates") + 1)
    row = SocketEnvelope.objects.filter(envelope_id=envelope_id).values("status", "response", "received_at").first()
    if row is None:
        return _claim(envelope_id, kind, handled_by)  # released (failed) meanwhile: handle afresh
    if row["status"] == EnvelopeStatus.DONE:
        return False, row["response"] or {}
    taken_over = SocketEnvelope.objects.filter(
        envelope_id=envelope_id,
        status=EnvelopeStatus.PROCESSING,
        received_at__lt=timezone.now() - STALE_CLAIM,
    ).update(received_at=timezone.now(), handled_by=handled_by[:120])
    return bool(taken_over), None


def _dispatch(kind: str, payload, message: dict) -> tuple[int, dict | None]:
    """(HTTP-equivalent status, ack payload) from the HTTP views' dispatch."""
    if not isinstance(payload, dict):
        logger.warning("Socket Mode %s envelope without a payload object", kind)
        return 400, None
    try:
        if kind == "slash_commands":
            response = views.command_response(_as_form(payload))
        elif kind == "interactive":
            response = views.interaction_response(interaction_from_payload(payload))
        else:
            if payload.get("type") != "event_callback":
                return 200, None  # app_rate_limited and future types need only an ack
            response = views.event_response(payload, str(message.get("retry_attempt") or 0))
    except BadPayload as exc:
        logger.warning("Socket Mode %s envelope refused: %s", kind, exc)
        return 400, None
    except Exception:
        # The HTTP views' last line of defence, for the same reason: Slack gets a polite
        # answer, never silence (an event is redelivered instead).
        logger.exception("Socket Mode %s envelope failed", kind)
        if kind == "events_api":
            return 503, None
        return 200, ephemeral(bilingual(something_went_wrong)) if kind == "slash_commands" else None
    return response.status_code, _body(response)


def _as_form(payload: dict) -> dict:
    """Socket Mode's slash_commands payload is the form Slack would post, as JSON strings."""
    return {key: [value if isinstance(value, str) else json.dumps(value)] for key, value in payload.items()}


def _body(response) -> dict | None:
    if response.status_code != 200 or not response.get("Content-Type", "").startswith("application/json"):
        if response.status_code == 400:
            logger.warning("Socket Mode envelope refused: %s", response.content[:200])
        return None
    return json.loads(response.content) or None
