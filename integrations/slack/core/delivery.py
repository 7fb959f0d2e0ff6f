"""Delivering one outbox row to Slack: claim, call, record the outcome.

Idempotency: a row is claimed with one conditional UPDATE (pending → sending), atomic on
PostgreSQL and SQLite alike, so a duplicate task run (a sweeper re-publish, an acks_late
redelivery) finds nothing to claim and does nothing. The Slack call happens outside any
transaction so no row lock is held across the network.
"""

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from erp.core.pii import mask_pii
from integrations.slack.core import notify, pacing
from integrations.slack.core.client import SlackNotConfigured, get_client
from integrations.slack.core.errors import PERMANENT, RATE_LIMITED, classify
from integrations.slack.core.models import OPERATION_LABELS, DeliveryStatus, MessageRef, Operation, SlackMessage
from integrations.slack.core.privacy import screen as privacy_screen

logger = logging.getLogger(__name__)

# Seconds to wait before looking again for an original message that is still on its way.
PARENT_WAIT_SECONDS = 5
# ... and for one being sent at this moment (a card updated right as it goes out).
SENDING_PARENT_WAIT_SECONDS = 1


@dataclass(frozen=True)
class Outcome:
    status: str
    # Seconds after which the task should run again; None when nothing is left to do.
    retry_in: float | None = None


class Defer(Exception):
    """Not an error: the row cannot be sent yet (its original message is still pending)."""

    def __init__(self, seconds: float, reason: str):
        super().__init__(reason)
        self.seconds = seconds


class Skip(Exception):
    """Nothing to send any more (e.g. a thread reply whose original was never posted)."""


@dataclass
class Sent:
    channel_id: str
    ts: str
    thread_ts: str = ""


# operation -> handler(client, row) -> Sent. Modules add multi-step operations through their
# SlackModule (integrations.slack.core.modules.DeliveryOperation).
OperationHandler = Callable[[WebClient, SlackMessage], Sent]
_handlers: dict[str, OperationHandler] = {}
_paced_operations: set[str] = {Operation.POST, Operation.UPDATE, Operation.REPLY}


def register_operation(name: str, handler: OperationHandler, *, label: str = "", paced: bool = False) -> None:
    """``paced``: the operation posts or updates a channel message, so it takes the channel's
    slots (core/pacing.py) like post / update / reply."""
    existing = _handlers.get(name)
    if existing is not None and existing is not handler:
        raise ValueError(f"Slack outbox operation {name!r} is already handled by {existing.__qualname__}")
    _handlers[name] = handler
    if label:
        OPERATION_LABELS[name] = label
    if paced:
        _paced_operations.add(name)


# --- the operations ---------------------------------------------------------------------


def resolve_channel(client: WebClient, row: SlackMessage) -> str:
    """The channel to call: DMs go through conversations.open so the D… id can be stored."""
    if not row.is_direct_message:
        return row.target
    if row.state.get("dm_channel"):
        return row.state["dm_channel"]
    channel_id = client.conversations_open(users=row.target)["channel"]["id"]
    row.state = {**row.state, "dm_channel": channel_id}
    SlackMessage.objects.filter(pk=row.pk).update(state=row.state)
    return channel_id


def _metadata(row: SlackMessage) -> dict:
    # Lets anyone reading the channel history tell which outbox row a message came from.
    return {"event_type": "haru_outbox", "event_payload": {"outbox_id": row.pk, "kind": row.kind}}


def post(client: WebClient, row: SlackMessage) -> Sent:
    privacy_screen.screen(client, row)  # the privacy policy, for every module's messages
    channel = resolve_channel(client, row)
    extra = {"thread_ts": row.thread_ts} if row.thread_ts else {}
    response = client.chat_postMessage(
        channel=channel,
        text=row.text,
        blocks=row.blocks or None,
        metadata=_metadata(row),
        unfurl_links=False,
        unfurl_media=False,
        **extra,
    )
    return Sent(response["channel"], response["ts"], row.thread_ts)


def _original(row: SlackMessage) -> MessageRef | None:
    ref = MessageRef.objects.filter(message_key=row.message_key, target=row.target).first()
    if ref is not None:
        return ref
    parent = (
        SlackMessage.objects.filter(
            message_key=row.message_key,
            target=row.target,
            status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING],
        )
        .exclude(operation__in=[Operation.UPDATE, Operation.REPLY])
        .exclude(pk=row.pk)  # a module's own update operation is not its own original
        .values_list("pk", "next_attempt_at", "status")
        .first()
    )
    if parent is None:
        return None
    if parent[2] == DeliveryStatus.SENDING:
        # The original is on the wire right now: it lands within a call, look again soon.
        raise Defer(SENDING_PARENT_WAIT_SECONDS, "waiting for the original message")
    # Come back shortly after the original's own next attempt, not in a tight loop.
    due_in = (parent[1] - timezone.now()).total_seconds() if parent[1] else 0
    raise Defer(min(max(due_in, 0) + PARENT_WAIT_SECONDS, 300), "waiting for the original message")


def update(client: WebClient, row: SlackMessage) -> Sent:
    """chat.update of the original; posts a fresh message if there never was one, or if the
    original is gone (deleted in Slack: message_not_found), so the record keeps a live message."""
    ref = _original(row)
    if ref is None:
        return post(client, row)
    privacy_screen.screen(client, row, channel=ref.channel_id)
    try:
        response = client.chat_update(channel=ref.channel_id, ts=ref.ts, text=row.text, blocks=row.blocks or [])
    except SlackApiError as exc:
        if exc.response.get("error") != "message_not_found":
            raise
        # Forget the deleted message: the fresh post becomes the record's message (_remember),
        # and later updates and thread replies go to it.
        logger.info("Slack message %s in %s is gone; posting %s anew", ref.ts, ref.channel_id, row.message_key)
        MessageRef.objects.filter(pk=ref.pk).delete()
        return post(client, row)
    return Sent(response["channel"], response["ts"])


def _wait_for_older_replies(row: SlackMessage) -> None:
    """Thread replies of one message land in the order they were queued: a reply waits while
    an older one to the same thread is still to be sent (e.g. rescheduled after a 429), so a
    rate limit never shuffles a thread's log."""
    older = list(
        SlackMessage.objects.filter(
            message_key=row.message_key,
            target=row.target,
            operation=Operation.REPLY,
            status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING],
            pk__lt=row.pk,
        ).values_list("next_attempt_at", flat=True)[:1]
    )
    if not older:
        return
    due_in = (older[0] - timezone.now()).total_seconds() if older[0] else 0
    raise Defer(min(max(due_in, 0) + 1, 300), "waiting for an older reply in the same thread")


def reply(client: WebClient, row: SlackMessage) -> Sent:
    ref = _original(row)
    if ref is None:
        raise Skip("the original message was never posted")
    _wait_for_older_replies(row)
    privacy_screen.screen(client, row, channel=ref.channel_id)
    response = client.chat_postMessage(
        channel=ref.channel_id,
        thread_ts=ref.ts,
        text=row.text,
        blocks=row.blocks or None,
        metadata=_metadata(row),
        unfurl_links=False,
        # A summary that everyone in the channel should see, not only thread followers.
        reply_broadcast=bool(row.state.get("broadcast")),
    )
    return Sent(response["channel"], response["ts"], ref.ts)


register_operation(Operation.POST, post)
register_operation(Operation.UPDATE, update)
register_operation(Operation.REPLY, reply)


# --- the delivery ------------------------------------------------------------------------


def _claim_sql() -> str:
    table = connection.ops.quote_name(SlackMessage._meta.db_table)
    return (
        f"UPDATE {table} SET status = %s, sending_started_at = %s, attempts = attempts + 1, updated_at = %s"
        " WHERE id = %s AND status = %s AND (next_attempt_at IS NULL OR next_attempt_at <= %s) RETURNING *"
    )


def _claim(message_id: int) -> SlackMessage | None:
    """Atomically move a due row to "sending"; None if another run has it or it is not due.

    One UPDATE … RETURNING (PostgreSQL, and SQLite since 3.35) instead of an UPDATE and a
    SELECT: every delivery and every notification expansion claims its row.
    """
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    due_by = connection.ops.adapt_datetimefield_value(timezone.now() + timedelta(seconds=1))
    params = [DeliveryStatus.SENDING, now, now, message_id, DeliveryStatus.PENDING, due_by]
    claimed = list(SlackMessage.objects.raw(_claim_sql(), params))
    return claimed[0] if claimed else None


def _reschedule(row: SlackMessage, seconds: float, *, count_attempt: bool, error: str = "", code: str = "") -> Outcome:
    now = timezone.now()
    fields = {
        "status": DeliveryStatus.PENDING,
        "next_attempt_at": now + timedelta(seconds=seconds),
        "updated_at": now,
        "state": _without_slot(row),
    }
    if not count_attempt:
        fields["attempts"] = models.F("attempts") - 1
    if error:
        fields.update(last_error=mask_pii(error)[:2000], error_code=code[:80])
    SlackMessage.objects.filter(pk=row.pk, status=DeliveryStatus.SENDING).update(**fields)
    return Outcome(DeliveryStatus.PENDING, seconds)


def _finish(row: SlackMessage, status: str, *, error: str = "", code: str = "", sent: Sent | None = None) -> Outcome:
    now = timezone.now()
    fields = {"status": status, "updated_at": now, "next_attempt_at": None, "state": _without_slot(row)}
    if error or code:
        fields.update(last_error=mask_pii(error)[:2000], error_code=code[:80])
    if sent is not None:
        fields.update(channel_id=sent.channel_id, ts=sent.ts, thread_ts=sent.thread_ts, sent_at=now, error_code="")
    with transaction.atomic():
        SlackMessage.objects.filter(pk=row.pk).update(**fields)
        # An operation that posted nothing (no ts, e.g. fetching files) has no message to remember.
        if sent is not None and sent.ts and row.message_key and row.operation != Operation.REPLY:
            _remember(row, sent)
    return Outcome(status)


def _remember(row: SlackMessage, sent: Sent) -> None:
    """Store where the record's message lives (first post wins; an update keeps it)."""
    if sent.thread_ts:
        return  # a message posted into a thread is not the record's main message
    MessageRef.objects.get_or_create(
        message_key=row.message_key,
        target=row.target,
        defaults={
            "channel_id": sent.channel_id,
            "ts": sent.ts,
            "content_type_id": row.content_type_id,
            "object_id": row.object_id,
        },
    )


def backoff_seconds(attempts: int) -> float:
    """Exponential backoff with "equal jitter": half fixed, half random, capped."""
    ceiling = min(settings.SLACK_RETRY_MAX_SECONDS, settings.SLACK_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0))
    return ceiling / 2 + random.uniform(0, ceiling / 2)


# A reserved slot missed by more than this (worker busy or down): reserve a new one.
_LATE_SLOT_SECONDS = 0.25


def _pace(row: SlackMessage) -> float:
    """Seconds to wait for this row's per-channel slot (0: send now), reserving one if needed."""
    if row.operation not in _paced_operations:
        return 0
    now = time.time()
    lane = _lane(row)
    slot = row.state.get("pace_slot")
    # A slot woken up late (busy workers) may only be used if the following slot can be
    # burned too; otherwise the late call could land right before the next slot's call.
    late = slot is not None and now > slot + _LATE_SLOT_SECONDS and not pacing.claim_late(lane, slot, now)
    if slot is None or late or pacing.blocked_until(lane) > slot:
        slot = pacing.reserve_slot(lane, now)
    wait = slot - now
    if wait <= pacing.SLOT_TOLERANCE:
        return 0
    if slot != row.state.get("pace_slot"):
        moment = timezone.now() + timedelta(seconds=wait)
        state = {**row.state, "pace_slot": slot}
        SlackMessage.objects.filter(pk=row.pk, status=DeliveryStatus.PENDING).update(
            state=state, next_attempt_at=moment, updated_at=timezone.now()
        )
    return wait


def _lane(row: SlackMessage) -> str:
    return pacing.lane(row.target, row.state.get("pace_lane", ""))


def _without_slot(row: SlackMessage) -> dict:
    return {key: value for key, value in row.state.items() if key != "pace_slot"}


def deliver(message_id: int, *, client: WebClient | None = None) -> Outcome:
    """Deliver outbox row ``message_id`` once; safe to call any number of times.

    Side effects: Slack API calls; the row's status, attempts, errors, channel/ts; a
    MessageRef for posts of a keyed message. Returns what happened and, for retryable
    outcomes, when to run again (the row's next_attempt_at is set to match, so the
    sweeper recovers it if the re-publish is lost).
    """
    row = SlackMessage.objects.filter(pk=message_id).first()
    if row is None or row.status != DeliveryStatus.PENDING:
        return Outcome(row.status if row else "missing")
    wait = _pace(row)
    if wait > 0:
        return Outcome(DeliveryStatus.PENDING, wait)
    row = _claim(message_id)
    if row is None:
        return Outcome("not_claimed")
    if row.operation == notify.NOTIFY:
        return _expand(row)
    handler = _handlers.get(row.operation)
    if handler is None:
        return _finish(row, DeliveryStatus.FAILED, error=f"unknown operation {row.operation}", code="unknown_operation")
    try:
        client = client or get_client(timeout=settings.SLACK_CLIENT_TIMEOUT)
        sent = handler(client, row)
    except SlackNotConfigured as exc:
        return _finish(row, DeliveryStatus.NOT_CONFIGURED, error=str(exc), code="not_configured")
    except Defer as exc:
        return _reschedule(row, exc.seconds, count_attempt=False)
    except Skip as exc:
        return _finish(row, DeliveryStatus.SKIPPED, error=str(exc), code="skipped")
    except Exception as exc:
        return _handle_error(row, exc)
    return _finish(row, DeliveryStatus.SENT, sent=sent)


def _expand(row: SlackMessage) -> Outcome:
    """A notify row becomes the module's real messages (it needs no Slack client, nor a token)."""
    try:
        notify.expand(row)
    except notify.OlderPending:
        return _reschedule(row, notify.ORDER_WAIT_SECONDS, count_attempt=False)
    except Exception as exc:
        logger.exception("Slack notification %s (%s) failed", row.pk, row.kind)
        return _finish(row, DeliveryStatus.FAILED, error=f"{type(exc).__name__}: {exc}", code="notification_error")
    return Outcome(DeliveryStatus.SENT)  # the row is gone: what it stood for is queued now


def _handle_error(row: SlackMessage, exc: Exception) -> Outcome:
    try:
        error = classify(exc)
    except Exception:
        logger.exception("Slack outbox %s: unexpected error", row.pk)
        return _finish(row, DeliveryStatus.FAILED, error=f"{type(exc).__name__}: {exc}", code="internal_error")
    if error.ambiguous:
        SlackMessage.objects.filter(pk=row.pk).update(ambiguous_attempts=models.F("ambiguous_attempts") + 1)
    logger.info("Slack outbox %s (%s) attempt %s: %s", row.pk, row.kind, row.attempts, error.detail)
    if error.kind == PERMANENT:
        return _finish(row, DeliveryStatus.FAILED, error=error.detail, code=error.code)
    horizon = row.created_at + timedelta(seconds=settings.SLACK_RETRY_HORIZON_SECONDS)
    if error.kind == RATE_LIMITED:
        pacing.block_channel(_lane(row), error.retry_after)
        if timezone.now() + timedelta(seconds=error.retry_after) > horizon:
            return _finish(row, DeliveryStatus.FAILED, error=f"still rate limited: {error.detail}", code=error.code)
        # A 429 says nothing about the message itself: it does not use up an attempt.
        return _reschedule(row, error.retry_after, count_attempt=False, error=error.detail, code=error.code)
    delay = backoff_seconds(row.attempts)
    if row.attempts >= settings.SLACK_MAX_ATTEMPTS or timezone.now() + timedelta(seconds=delay) > horizon:
        detail = f"gave up after {row.attempts} attempts: {error.detail}"
        return _finish(row, DeliveryStatus.FAILED, error=detail, code=error.code)
    return _reschedule(row, delay, count_attempt=True, error=error.detail, code=error.code)
