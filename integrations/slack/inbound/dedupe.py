"""Process each Events API delivery once, even when Slack retries it (DESIGN.md §3.9)."""

from django.db import IntegrityError, transaction
from django.db.models import F

from integrations.slack.inbound.models import EventStatus, SlackEventReceipt
from integrations.slack.inbound.payloads import Event


def claim_event(event: Event) -> bool:
    """Insert the receipt row; False when this event_id was already claimed.

    One committed INSERT on the unique event_id: a concurrent retry blocks on the index
    entry until the first delivery's insert commits, then fails with IntegrityError, so
    exactly one delivery wins even under Slack's ``http_timeout`` retries.
    """
    try:
        with transaction.atomic():
            SlackEventReceipt.objects.create(
                event_id=event.event_id,
                event_type=event.type[:64],
                team_id=event.team_id[:32],
                retry_num=event.retry_num,
            )
        return True
    except IntegrityError:
        SlackEventReceipt.objects.filter(event_id=event.event_id).update(duplicates=F("duplicates") + 1)
        return False


def finish_event(event: Event, status: str = EventStatus.DONE) -> None:
    SlackEventReceipt.objects.filter(event_id=event.event_id).update(status=status)


def release_event(event: Event) -> None:
    """Handling failed: forget the receipt so Slack's next retry is processed again."""
    SlackEventReceipt.objects.filter(event_id=event.event_id).delete()
