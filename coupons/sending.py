"""Sends through the Giftishow API, domain side: batches, their results, coupon status updates.

The adapter (integrations/giftishow/sending.py) talks to Giftishow and calls these; nothing here
does I/O. Every send's tr_id is fixed when the batch is created, so a batch resumed after a crash
or an E0010 pause re-sends exactly the items not yet done, under their own tr_ids.
"""

import logging
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from erp.audit.services import audit_record

from .importing.fields import parse_moment
from .models import SUCCESS_CODES, Campaign, Goods, SendBatch, SendBatchStatus, SendItem, SendLog, pin_status_for
from .phones import normalize_phone

logger = logging.getLogger(__name__)


def batch_tr_id(batch_id: int, index: int) -> str:
    """``HR0000012000007``: 15 characters (Giftishow refuses tr_ids over 20), unique by construction."""
    return f"HR{batch_id:07d}{index:06d}"


@transaction.atomic
def batch_create(*, campaign: Campaign, goods: Goods, phones: list[str], by) -> SendBatch:
    """A queued batch with one item per phone; ValidationError listing the bad lines (1-based)."""
    numbers, bad = [], []
    for line, raw in enumerate(phones, start=1):
        number = normalize_phone(raw)
        (numbers.append(number) if number else bad.append(str(line)))
    if bad:
        raise ValidationError(_("Not Korean mobile numbers, lines: %(lines)s.") % {"lines": ", ".join(bad[:20])})
    if not numbers:
        raise ValidationError(_("No phone numbers given."))
    batch = SendBatch.objects.create(campaign=campaign, goods=goods, created_by=getattr(by, "user", by))
    SendItem.objects.bulk_create(
        SendItem(batch=batch, tr_id=batch_tr_id(batch.pk, index), phone=number) for index, number in enumerate(numbers)
    )
    audit_record(batch, "created", by=by, items=len(numbers))
    return batch


@transaction.atomic
def send_recorded(
    *, item: SendItem, code: str, message: str, order_no: str = "", now: datetime | None = None
) -> SendLog:
    """Record one attempted send (success or Giftishow's refusal) in the send log; idempotent on tr_id."""
    now = now or timezone.now()
    batch = item.batch
    goods = batch.goods
    ok = code in SUCCESS_CODES
    send, _created = SendLog.objects.update_or_create(
        tr_id=item.tr_id,
        defaults={
            "client_id": batch.campaign.client_id,
            "campaign_id": batch.campaign_id,
            "goods": goods,
            "phone": item.phone,
            "phone_last4": item.phone[-4:],
            "sent_at": now,
            "result_code": code,
            "result_message": message[:200],
            "succeeded": ok,
            "order_no": order_no,
            "sell_price": goods.sell_price,
            "consumer_price": goods.consumer_price,
            "batch": batch,
        },
    )
    SendItem.objects.filter(pk=item.pk).update(sent=True)
    SendBatch.objects.filter(pk=batch.pk).update(progressed_at=now)
    return send


# The Giftishow adapter's task, named rather than imported: the domain does no I/O and does not
# know the adapter's module (integrations.giftishow.sending registers it under this name).
SEND_TASK = "integrations.giftishow.send_batch"


def batch_start(batch: SendBatch, *, by) -> None:
    """Hand a queued or paused batch to the worker (after commit); a paused one is resumed.

    Running it again is harmless (finished items are never re-sent), so a batch whose worker
    died while "sending" may be started again too. A finished batch cannot be.
    """
    if batch.status == SendBatchStatus.DONE:
        raise ValidationError(_("This batch is finished; create a new one to send again."))
    resumed = batch.status != SendBatchStatus.QUEUED or batch.progressed_at is not None
    if batch.status == SendBatchStatus.PAUSED:
        batch_set_status(batch, SendBatchStatus.QUEUED, note="")
    audit_record(batch, "resumed" if resumed else "started", by=by)
    transaction.on_commit(lambda: _enqueue(batch.pk))


def _enqueue(batch_id: int) -> None:
    from celery import current_app

    try:
        current_app.tasks[SEND_TASK].delay(batch_id)
    except Exception:  # a broker that is down must not undo the committed batch
        # The batch stays queued: the stall alert names it and its page offers "start again".
        logger.exception("coupon batch %s could not be handed to the worker", batch_id)


def batch_progress(batch: SendBatch) -> dict:
    """How far a batch is: items in all, sent, and of those refused by Giftishow."""
    items = batch.items.aggregate(
        total=models.Count("id"),
        sent=models.Count("id", filter=models.Q(sent=True)),
    )
    failed = SendLog.objects.filter(batch=batch, succeeded=False).count()
    return {**items, "failed": failed, "left": items["total"] - items["sent"]}


def batch_set_status(batch: SendBatch, status: str, *, note: str = "", now: datetime | None = None) -> None:
    now = now or timezone.now()
    fields = {"status": status, "note": note[:200], "progressed_at": now}
    if status == SendBatchStatus.DONE:
        fields["finished_at"] = now
    SendBatch.objects.filter(pk=batch.pk).update(**fields)


def status_applied(
    *,
    send: SendLog,
    pin_status_code: str,
    send_result_code: str,
    valid_until: str,
    sell_price: int | None,
    consumer_price: int | None,
    now: datetime | None = None,
) -> bool:
    """Store what 0201 said about ``send``; True when something changed. Always stamps the check,
    and ``updated_at`` only when something changed: the coupon rollup's change feed."""
    now = now or timezone.now()
    changes = {"status_checked_at": now}
    if pin_status_code:
        changes["pin_status_code"] = pin_status_code.zfill(2)
        changes["pin_status"] = pin_status_for(pin_status_code)
    if send_result_code:
        changes["delivered"] = send_result_code == "1000"
    if valid_until:
        try:
            changes["valid_until"] = parse_moment(valid_until, end_of_day=len(valid_until) == 8)
        except ValueError:
            pass
    if sell_price is not None:
        changes["sell_price"] = sell_price
    if consumer_price is not None:
        changes["consumer_price"] = consumer_price
    changed = any(getattr(send, key) != value for key, value in changes.items() if key != "status_checked_at")
    if changed:
        changes["updated_at"] = now
    SendLog.objects.filter(pk=send.pk).update(**changes)
    return changed


def sends_to_poll(limit: int):
    """Sends whose coupon can still change, least recently checked first (the partial index)."""
    from django.db.models import F

    return SendLog.objects.filter(succeeded=True, pin_status__in=["", "issued", "other"]).order_by(
        F("status_checked_at").asc(nulls_first=True), "id"
    )[:limit]
