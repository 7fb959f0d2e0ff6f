from celery import shared_task

from .rollups import fold_all


@shared_task(name="erp.history.fold_rollups", ignore_result=True)
def fold_rollups() -> dict:
    """Beat, every minute: fold what changed into every registered rollup (idempotent)."""
    return {key: result.changed for key, result in fold_all().items()}
