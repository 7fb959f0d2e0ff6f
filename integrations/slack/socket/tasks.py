"""Housekeeping of Socket Mode state."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from integrations.slack.socket.models import ConnectionState, SocketConnection, SocketEnvelope

# Slack redelivers an unacknowledged envelope within minutes; a day of receipts is ample.
ENVELOPE_RETENTION = timedelta(days=1)
# A process that has not written its heartbeat for a week is gone for good.
CONNECTION_RETENTION = timedelta(days=7)


@shared_task(name="integrations.slack.socket.purge_envelopes", ignore_result=True)
def purge_envelopes() -> int:
    """Delete old envelope receipts and long-stopped processes. Idempotent; returns rows deleted."""
    now = timezone.now()
    deleted, _ = SocketEnvelope.objects.filter(received_at__lt=now - ENVELOPE_RETENTION).delete()
    gone, _ = SocketConnection.objects.filter(heartbeat_at__lt=now - CONNECTION_RETENTION).delete()
    SocketConnection.objects.filter(state=ConnectionState.STOPPED, heartbeat_at__lt=now - timedelta(days=1)).delete()
    return deleted + gone
