"""Beat: poll every calendar source (syncToken / conditional GET) and push write-backs."""

from celery import shared_task

from .sync import sync_due


@shared_task(name="integrations.calendar.sync_due", ignore_result=True)
def calendar_sync_due() -> int:
    return sync_due()
