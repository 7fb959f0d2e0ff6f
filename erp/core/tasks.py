"""Periodic jobs of the shared core."""

from celery import shared_task

from .webhooks.idempotency import purge_receipts


@shared_task(name="erp.core.purge_webhook_receipts", ignore_result=True)
def purge_webhook_receipts() -> int:
    """Delete webhook receipts older than RECEIPT_RETENTION. Idempotent; returns rows deleted."""
    return purge_receipts()
