"""Housekeeping of inbound Slack state."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from integrations.slack.inbound.models import SlackEventReceipt, SlackRequestNonce

# Slack retries an event for about an hour at most (immediately, +1 min, +5 min); a week
# of receipts is ample for dedupe and for looking into "was this event handled?".
RECEIPT_RETENTION = timedelta(days=7)
NONCE_RETENTION = timedelta(days=1)


@shared_task(name="integrations.slack.inbound.purge_event_receipts", ignore_result=True)
def purge_event_receipts() -> int:
    """Delete event receipts older than RECEIPT_RETENTION. Idempotent; returns rows deleted."""
    deleted, _ = SlackEventReceipt.objects.filter(received_at__lt=timezone.now() - RECEIPT_RETENTION).delete()
    # Replay keys matter only inside the signature window (and a modal's short life).
    seen, _ = SlackRequestNonce.objects.filter(received_at__lt=timezone.now() - NONCE_RETENTION).delete()
    return deleted + seen
