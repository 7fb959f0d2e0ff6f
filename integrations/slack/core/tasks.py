"""Celery tasks of the Slack outbox (imported by integrations/tasks.py for autodiscovery).

Modules' own jobs live in their package (integrations.slack.<module>.tasks) and are
scheduled by their SlackModule.jobs.
"""

from celery import shared_task

from integrations.slack.core import outbox
from integrations.slack.core.delivery import deliver


@shared_task(name=outbox.DELIVER_TASK, ignore_result=True, acks_late=True)
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
