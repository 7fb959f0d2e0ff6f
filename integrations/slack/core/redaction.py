"""Taking back what a record already said in Slack, when it becomes sensitive (review M2).

The main messages are re-rendered by their module (``update_everywhere``); this covers
the rest: thread replies and separate alerts about the record that were already posted in
channels get a ``chat.update`` to the given notice (number and link only), and those not
yet sent are never sent. Direct messages stay: they went to one person who may see it.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integrations.slack.core.delivery import Sent, Skip
from integrations.slack.core.models import DeliveryStatus, Operation, SlackMessage
from integrations.slack.core.outbox import enqueue
from integrations.slack.core.privacy.screen import screen

REDACT = "redact"
REDACT_LABEL = _("Redact a message already posted")


def _channel_rows(record: models.Model):
    content_type = ContentType.objects.get_for_model(record, for_concrete_model=False)
    return (
        SlackMessage.objects.filter(content_type=content_type, object_id=str(record.pk))
        .filter(operation__in=[Operation.POST, Operation.REPLY])
        .exclude(target__regex=r"^[UWD]")  # user ids and DM channels: one reader, nothing to take back
    )


def redact_posted(record: models.Model, *, kind: str, text: str, blocks: list, keep_keys=()) -> int:
    """Queue a redaction of every channel reply/alert about ``record``; returns how many.

    ``keep_keys``: message keys of the main messages the caller re-renders itself.
    """
    rows = _channel_rows(record).exclude(operation=Operation.POST, message_key__in=list(keep_keys))
    rows.filter(operation=Operation.REPLY, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.SKIPPED, last_error="the record became sensitive", updated_at=timezone.now()
    )
    queued = 0
    for row in rows.filter(status=DeliveryStatus.SENT).exclude(ts="").exclude(channel_id__regex=r"^D"):
        redaction = enqueue(
            kind=kind,
            target=row.channel_id,
            text=text,
            blocks=blocks,
            record=record,
            message_key=f"{row.message_key}:redact:{row.ts}",
            operation=REDACT,
            once=True,  # a message is taken back once, however often the record changes
            state={"channel": row.channel_id, "ts": row.ts},
        )
        queued += redaction is not None
    return queued


def redact_operation(client, row: SlackMessage) -> Sent:
    """chat.update of one message named in the row's state (not the record's original)."""
    channel, ts = row.state.get("channel"), row.state.get("ts")
    if not channel or not ts:
        raise Skip("no message to redact")
    screen(client, row, channel=channel)  # a redaction is public by declaration; screened like every message
    response = client.chat_update(channel=channel, ts=ts, text=row.text, blocks=row.blocks or [])
    return Sent(response["channel"], response["ts"])
