"""Periodic jobs of the shared core."""

from celery import shared_task

RETENTION_TASK = "erp.core.retention_nightly"


@shared_task(name=RETENTION_TASK, ignore_result=True)
def retention_nightly() -> dict:
    """Nightly: apply every registered retention policy (erp.core.retention); returns the counts."""
    from .retention import run

    return run().counts
