"""Celery tasks of the Slack outbox (imported by integrations/tasks.py for autodiscovery)."""

from celery import shared_task

from . import digest, outbox
from .delivery import deliver


@shared_task(name="integrations.slack.deliver_message", ignore_result=True, acks_late=True)
def deliver_message(message_id: int) -> str:
    """Deliver outbox row ``message_id``; idempotent (the row is claimed atomically).

    Retryable outcomes are re-published with a countdown instead of sleeping or holding
    the worker; if that publish fails, the row's next_attempt_at lets the sweeper find it.
    """
    outcome = deliver(message_id)
    if outcome.retry_in is not None and outbox.publish(message_id, countdown=outcome.retry_in):
        outbox.mark_published([message_id])
    return outcome.status


@shared_task(name="integrations.slack.sweep_outbox", ignore_result=True)
def sweep_outbox() -> int:
    """Beat: re-publish pending rows whose task was lost (broker down, worker killed)."""
    return outbox.sweep()


@shared_task(name="integrations.slack.daily_ticket_digest", ignore_result=True)
def daily_ticket_digest() -> int:
    """Beat, 09:00 KST Mon–Fri: queue the ticket digest per group (skips holidays; idempotent per day)."""
    return digest.send_daily_digest()


@shared_task(name="integrations.slack.prune_outbox", ignore_result=True)
def prune_outbox() -> int:
    """Beat, nightly: delete delivered outbox rows past the retention period."""
    return outbox.prune()
