"""The enqueue API every module uses to send something to Slack.

Call :func:`enqueue` from a domain-signal receiver, i.e. inside the domain transaction:
the outbox row commits (or rolls back) with the change, and only after commit is the
delivery task published. Publishing never blocks or fails the caller: with the broker
down the row simply stays pending and the beat sweeper re-enqueues it later.
"""

import logging
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from erp.core import redis_outage
from erp.core.pii import mask_pii
from integrations.slack.core import broker, pacing
from integrations.slack.core.blocks import finalize_message
from integrations.slack.core.client import SlackNotConfigured, slack_configured
from integrations.slack.core.models import DeliveryStatus, Operation, SlackMessage

logger = logging.getLogger(__name__)


DELIVER_TASK = "integrations.slack.deliver_message"


def attach_record(row: SlackMessage, record: models.Model | None) -> None:
    """Point an outbox row at the record it is about (admin links, the record's outbox list)."""
    if record is not None and record.pk is not None:
        row.content_type = ContentType.objects.get_for_model(record, for_concrete_model=False)
        row.object_id = str(record.pk)


def message_key_for(record: models.Model, suffix: str = "") -> str:
    """The default key of a record's main message, e.g. ``tickets.ticket:42``."""
    key = f"{record._meta.label_lower}:{record.pk}"
    return f"{key}:{suffix}" if suffix else key


def enqueue(
    *,
    kind: str,
    target: str,
    text: str,
    blocks: list | None = None,
    record: models.Model | None = None,
    message_key: str = "",
    operation: str = Operation.POST,
    once: bool = False,
    state: dict | None = None,
    reserve_slot: bool = False,
) -> SlackMessage | None:
    """Write an outbox row and, after commit, publish its delivery task.

    - ``target``: channel id / #name, or a user id (U…) for a direct message.
    - ``message_key``: names the record's message so UPDATE / REPLY operations find the
      original post (defaults to the record's key for those operations).
    - ``once``: at most one row per (kind, message key, target), ever; a repeat returns None.
    - ``reserve_slot``: for a paced operation enqueued off the request path (in a worker): while
      its channel has calls queued, its slot is reserved now and its task published to wake at
      that slot. Without it the first delivery only reserves the slot and re-publishes itself,
      a task execution per row that a burst of cards into one channel pays hundreds of times
      while it is busiest.

    Text and blocks are PII-masked and clipped to Slack's limits here, whatever the caller
    built. Without a bot token the row is kept as ``not_configured`` (shown in the portal
    preview) and nothing is published. Idempotent only with ``once``.
    """
    if not target:
        return None
    if record is not None and not message_key and operation != Operation.POST:
        message_key = message_key_for(record)
    text, blocks = finalize_message(text, blocks or [])
    row = SlackMessage(
        kind=kind,
        operation=operation,
        target=target,
        text=text,
        blocks=blocks,
        message_key=message_key,
        state=state or {},
        status=DeliveryStatus.PENDING if slack_configured() else DeliveryStatus.NOT_CONFIGURED,
        next_attempt_at=timezone.now(),
    )
    wait = None
    if row.status == DeliveryStatus.PENDING:
        if reserve_slot:
            wait = _reserve_slot(row)
        # Its task is published right after commit. Recording that here, in the INSERT, keeps
        # the bookkeeping off the request path; publish() clears it when the broker refuses.
        row.published_at = row.next_attempt_at
    attach_record(row, record)
    if once:
        row.dedupe_key = f"{kind}|{message_key}|{target}"[:200]
        if SlackMessage.objects.filter(dedupe_key=row.dedupe_key).exists():
            return None
    if once:
        try:
            # A savepoint, so a lost race on dedupe_key does not break the caller's transaction.
            with transaction.atomic():
                row.save()
        except IntegrityError:
            return None
    else:
        row.save()  # no unique key to race on: no savepoint (two queries fewer per row)
    if operation == Operation.UPDATE:
        _supersede_older_updates(row)
    if row.status == DeliveryStatus.PENDING:
        transaction.on_commit(lambda: publish(row.pk, countdown=wait))
    return row


def _reserve_slot(row: SlackMessage) -> float | None:
    """While ``row``'s channel has calls queued, reserve its slot as its delivery would
    (core/delivery.py ``_pace``); the row is due then. Returns the countdown to publish with.

    An idle channel's card is published at once and its delivery takes the slot then: a
    "send now" reservation made here would be stale by the time the worker sends.
    """
    now = time.time()
    lane = pacing.lane(row.target, row.state.get("pace_lane", ""))
    if not pacing.is_queued(lane, now):
        return None
    slot = pacing.reserve_slot(lane, now, at_once=False)
    row.state = {**row.state, "pace_slot": slot}
    row.next_attempt_at = row.next_attempt_at + timedelta(seconds=max(0.0, slot - now))
    return slot - now if slot - now > pacing.SLOT_TOLERANCE else None


RECEIVER_FAILED = "receiver_failed"


def record_failure(*, kind: str, record: models.Model | None, error: str) -> SlackMessage:
    """A FAILED row for a notification that could not even be built (a receiver raised).

    It is never delivered (retry skips it); it exists so the failure shows in the admin's
    failed list with its error, next to delivery failures, instead of only in a log line.
    """
    row = SlackMessage(
        kind=kind[:64],
        operation=RECEIVER_FAILED,
        target="",
        text=error[:2000],
        status=DeliveryStatus.FAILED,
        error_code="receiver_error",
        last_error=error[:2000],
    )
    attach_record(row, record)
    with transaction.atomic():
        row.save()
    return row


def posted_targets(message_key: str) -> list[str]:
    """Targets where the message ``message_key`` was posted or is about to be (not failed)."""
    return list(
        SlackMessage.objects.filter(message_key=message_key, operation=Operation.POST)
        .exclude(status__in=[DeliveryStatus.FAILED, DeliveryStatus.SKIPPED])
        .order_by("target")
        .values_list("target", flat=True)
        .distinct()
    )


def _posts_of(message_key: str) -> tuple[list[str], set[str]]:
    """posted_targets() plus which of them still wait for a first attempt, in one query."""
    rows = (
        SlackMessage.objects.filter(message_key=message_key, operation=Operation.POST)
        .exclude(status__in=[DeliveryStatus.FAILED, DeliveryStatus.SKIPPED])
        .values_list("target", "status", "attempts")
    )
    targets, unsent = set(), set()
    for target, status, attempts in rows:
        targets.add(target)
        if attempts == 0 and status in (DeliveryStatus.PENDING, DeliveryStatus.NOT_CONFIGURED):
            unsent.add(target)
    return sorted(targets), unsent


def refresh_pending_post(
    message_key: str, target: str, text: str, blocks: list, operation: str = Operation.POST
) -> bool:
    """Re-render a post that has not been attempted yet, instead of queueing an update.

    The conditional UPDATE only touches a row still pending with no attempt, so it cannot
    race a worker that already claimed it (that case returns False: queue an update).
    """
    text, blocks = finalize_message(text, blocks)
    return bool(
        SlackMessage.objects.filter(
            message_key=message_key,
            target=target,
            operation=operation,
            status__in=[DeliveryStatus.PENDING, DeliveryStatus.NOT_CONFIGURED],
            attempts=0,
        ).update(text=text, blocks=blocks, updated_at=timezone.now())
    )


def update_everywhere(
    *,
    kind: str,
    record: models.Model,
    text: str,
    blocks: list,
    reply: tuple[str, list] | None = None,
    message_key: str = "",
) -> int:
    """Bring every copy of a record's message up to date, plus an optional thread reply.

    Per target: a post not yet attempted is re-rendered in place, otherwise a chat.update is
    queued; either way the reply follows (it waits for the post to land, so the thread log is
    whole even when Slack was slow or is not configured, where the preview shows it).
    Returns the number of targets touched.
    """
    message_key = message_key or message_key_for(record)
    targets, unsent = _posts_of(message_key)
    for target in targets:
        if not (target in unsent and refresh_pending_post(message_key, target, text, blocks)):
            enqueue(
                kind=kind,
                target=target,
                text=text,
                blocks=blocks,
                record=record,
                message_key=message_key,
                operation=Operation.UPDATE,
            )
        if reply is not None:
            enqueue(
                kind=kind,
                target=target,
                text=reply[0],
                blocks=reply[1],
                record=record,
                message_key=message_key,
                operation=Operation.REPLY,
            )
    return len(targets)


def _supersede_older_updates(row: SlackMessage) -> None:
    """Only the newest rendering of a message matters: older queued updates are dropped."""
    SlackMessage.objects.filter(
        operation=Operation.UPDATE,
        message_key=row.message_key,
        target=row.target,
        status=DeliveryStatus.PENDING,
        pk__lt=row.pk,
    ).update(status=DeliveryStatus.SKIPPED, last_error="superseded by a newer update", updated_at=timezone.now())


# After a failed publish this process skips the broker for a while: rows stay pending and
# the sweeper sends them, instead of every request paying the connect timeout again.
BROKER_BACKOFF_SECONDS = 10
_broker_down_until = 0.0


def _warm_transport() -> None:
    """Import kombu's Redis transport before the first publish: its import (a good part of a
    second on a busy machine) must not eat the publish deadline."""
    import kombu.transport.redis  # noqa: F401  (once per process; then a dict lookup)


def _send(task, message_id: int, countdown: float | None) -> None:
    broker.publish_with(lambda connection: task.apply_async((message_id,), countdown=countdown, connection=connection))


def _within_deadline(send) -> None:
    """Run ``send`` but wait at most SLACK_PUBLISH_TIMEOUT_SECONDS for it (review M6).

    kombu makes several round trips per publish, each with its own socket timeout, so a
    broker that accepts and never answers held a request for over a second even with
    short timeouts. The publish runs in a helper thread; past the deadline the request
    goes on, the row stays pending for the sweeper, and a late publish that still lands
    is harmless (a delivery claims its row atomically).
    """
    _warm_transport()
    outcome: dict = {}
    done = threading.Event()

    def run():
        try:
            send()
        except Exception as exc:
            outcome["error"] = exc
        finally:
            done.set()

    threading.Thread(target=run, name="outbox-publish", daemon=True).start()
    if not done.wait(settings.SLACK_PUBLISH_TIMEOUT_SECONDS):
        raise TimeoutError(f"the broker did not answer within {settings.SLACK_PUBLISH_TIMEOUT_SECONDS} s")
    if "error" in outcome:
        raise outcome["error"]


def publish(message_id: int, countdown: float | None = None) -> bool:
    """Send the delivery task to the broker; False (logged, masked) when the broker is down.

    Never raises: the caller may be a web request that already committed its data. A
    successful publish writes nothing to the database (callers record ``published_at``
    in their own writes: enqueue's INSERT, the sweeper's and the worker's bulk UPDATE);
    a failed one clears ``published_at`` so the sweeper picks the row up after its grace
    period instead of waiting SLACK_SWEEP_REPUBLISH_SECONDS — a write only during outages.
    """
    global _broker_down_until
    broker_url = settings.CELERY_BROKER_URL
    # The cache may have found this Redis hung already in this request (shared breaker):
    # then waiting out the publish deadline as well would double the request's Redis time.
    if time.monotonic() >= _broker_down_until and not redis_outage.is_down(broker_url):
        try:
            from erp.celery import app

            # By name: the task module imports this one (no import cycle).
            deliver_message = app.tasks[DELIVER_TASK]
            _within_deadline(lambda: _send(deliver_message, message_id, countdown))
            return True
        except Exception as exc:
            _broker_down_until = time.monotonic() + BROKER_BACKOFF_SECONDS
            redis_outage.mark_down(broker_url, BROKER_BACKOFF_SECONDS)
            logger.warning("Slack outbox %s left pending, broker unavailable: %s", message_id, mask_pii(str(exc)))
    SlackMessage.objects.filter(pk=message_id, published_at__isnull=False).update(published_at=None)
    return False


def mark_published(message_ids: list[int]) -> None:
    """Record that the tasks of ``message_ids`` reached the broker (one UPDATE, off the request path)."""
    if message_ids:
        SlackMessage.objects.filter(pk__in=message_ids).update(published_at=timezone.now())


def broker_backoff_reset() -> None:
    """Forget a recent broker failure (the sweeper calls this: it is the one that probes)."""
    global _broker_down_until
    _broker_down_until = 0.0
    redis_outage.forget(settings.CELERY_BROKER_URL)


def sweep(*, limit: int = 500) -> int:
    """Re-publish due rows whose task was lost; recover rows stuck in "sending".

    Pending rows due for longer than a grace period (their task should have run by then)
    and not published within SLACK_SWEEP_REPUBLISH_SECONDS (a task may simply be waiting in
    a busy queue) are re-published; rows "sending" for longer than SLACK_SENDING_STALE_SECONDS belong to a
    worker that died mid-call and go back to pending, counted as ambiguous because Slack may
    have received the call. Duplicate tasks are harmless: delivery claims the row atomically.
    Returns how many rows were published.
    """
    now = timezone.now()
    stale = now - timedelta(seconds=settings.SLACK_SENDING_STALE_SECONDS)
    SlackMessage.objects.filter(status=DeliveryStatus.SENDING, sending_started_at__lt=stale).update(
        status=DeliveryStatus.PENDING,
        next_attempt_at=now,
        published_at=None,  # its task died with the worker: publish again now
        ambiguous_attempts=models.F("ambiguous_attempts") + 1,
        last_error="worker stopped while sending; retrying",
        updated_at=now,
    )
    broker_backoff_reset()
    grace = now - timedelta(seconds=settings.SLACK_SWEEP_GRACE_SECONDS)
    republish = now - timedelta(seconds=settings.SLACK_SWEEP_REPUBLISH_SECONDS)
    due = list(
        SlackMessage.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=grace)
        .filter(models.Q(published_at__isnull=True) | models.Q(published_at__lte=republish))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    published = []
    for message_id in due:
        if not publish(message_id):
            break  # the broker is still down; the next sweep tries again
        published.append(message_id)
    mark_published(published)
    return len(published)


def retry_messages(queryset) -> int:
    """Admin "retry": failed / not-configured / skipped rows go back to pending and are published.

    Raises SlackNotConfigured without a bot token: retrying would only fail the same way.
    """
    if not slack_configured():
        raise SlackNotConfigured()
    now = timezone.now()
    retryable = queryset.exclude(status__in=[DeliveryStatus.SENT, DeliveryStatus.SENDING]).exclude(
        operation=RECEIVER_FAILED  # nothing was rendered: there is nothing to send again
    )
    ids = list(retryable.values_list("pk", flat=True))
    SlackMessage.objects.filter(pk__in=ids).update(
        status=DeliveryStatus.PENDING, next_attempt_at=now, published_at=now, attempts=0, error_code="", updated_at=now
    )
    for message_id in ids:
        transaction.on_commit(lambda message_id=message_id: publish(message_id))
    return len(ids)
