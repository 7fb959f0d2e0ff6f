"""Beat: poll every calendar source (syncToken / conditional GET), push write-backs and keep
push channels open; a push notification syncs its one source at once."""

from celery import shared_task

from meetings.models import CalendarSource

from .push import renew_channels
from .sync import sync_due, sync_source


@shared_task(name="integrations.calendar.sync_due", ignore_result=True)
def calendar_sync_due() -> int:
    renew_channels()
    return sync_due()


@shared_task(name="integrations.calendar.sync_source", ignore_result=True)
def calendar_sync_source(source_id: int) -> bool:
    source = CalendarSource.objects.filter(pk=source_id, is_active=True).select_related("room").first()
    return source is not None and sync_source(source) is not None
