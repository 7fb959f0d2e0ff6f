"""Giftishow work driven by Celery: campaign batches (0204), status polling (0201), bizmoney (0301).

Rate: at most GIFTISHOW_SENDS_PER_SECOND sends per second per worker process (``limits``'
moving window); a worker waits the fraction of a second the window asks for.
Faults: a timeout / 5xx stops the batch where it is and the task retries later, the unsent items
keep their tr_ids; a retried item that Giftishow already has ("duplicate tr_id": the first try
reached it but its answer was lost) is confirmed with 0201 and recorded as sent, never sent twice;
E0010 (bizmoney insufficient) pauses the batch until someone tops up and resumes it; any other
Giftishow error is that item's result (recorded as a failed send) and the batch goes on.
"""

import logging
import time

from celery import shared_task
from django.utils import timezone
from limits import RateLimitItemPerSecond
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from coupons.models import BizmoneySnapshot, SendBatch, SendBatchStatus
from coupons.sending import batch_set_status, send_recorded, sends_to_poll, status_applied

from .client import Giftishow, GiftishowError, GiftishowUnavailable, config

logger = logging.getLogger(__name__)
_limiter = MovingWindowRateLimiter(MemoryStorage())


def _rate() -> RateLimitItemPerSecond:
    return RateLimitItemPerSecond(int(config("GIFTISHOW_SENDS_PER_SECOND", "10")))


def _wait_for_slot(rate) -> None:
    while not _limiter.hit(rate, "giftishow-send"):
        reset = _limiter.get_window_stats(rate, "giftishow-send").reset_time
        time.sleep(max(0.01, min(1.0, reset - time.time())))


def run_batch(batch_id: int, *, client: Giftishow | None = None) -> str:
    """Send the batch's unsent items; returns "done", "paused" (E0010) or "retry" (Giftishow
    unavailable). Safe to run again at any point: finished items are never sent again."""
    batch = SendBatch.objects.select_related("campaign", "goods").get(pk=batch_id)
    if batch.status == SendBatchStatus.DONE:
        return "done"
    client = client or Giftishow()
    batch_set_status(batch, SendBatchStatus.RUNNING)
    rate = _rate()
    campaign = batch.campaign
    for item in batch.items.filter(sent=False).order_by("id"):
        item.batch = batch
        _wait_for_slot(rate)
        try:
            order_no = client.send(
                goods_code=batch.goods.code,
                phone=item.phone,
                tr_id=item.tr_id,
                title=campaign.mms_title or campaign.name,
                message=campaign.mms_message or campaign.name,
            )
            send_recorded(item=item, code="0000", message="", order_no=order_no)
        except GiftishowUnavailable:
            return "retry"
        except GiftishowError as error:
            if error.insufficient_bizmoney:
                batch_set_status(batch, SendBatchStatus.PAUSED, note=f"{error.code} {error.message}")
                return "paused"
            if error.duplicate_tr_id and _already_sent(client, item):
                continue
            send_recorded(item=item, code=error.code, message=error.message)
    batch_set_status(batch, SendBatchStatus.DONE)
    return "done"


def _already_sent(client: Giftishow, item) -> bool:
    try:
        info = client.coupon(item.tr_id)
    except (GiftishowError, GiftishowUnavailable):
        return False
    if info is None:
        return False
    send = send_recorded(item=item, code="0000", message="")
    status_applied(
        send=send,
        pin_status_code=info.pin_status_code,
        send_result_code=info.send_result_code,
        valid_until=info.valid_until,
        sell_price=info.sell_price,
        consumer_price=info.consumer_price,
    )
    return True


def poll_statuses(*, limit: int = 500, client: Giftishow | None = None) -> int:
    """Ask 0201 about the coupons that can still change (least recently checked first); returns
    how many changed. Stops at the first unavailable answer (the next tick carries on)."""
    client = client or Giftishow()
    changed = 0
    for send in sends_to_poll(limit):
        try:
            info = client.coupon(send.tr_id)
        except GiftishowUnavailable:
            break
        except GiftishowError as error:
            logger.info("giftishow 0201 %s: %s", send.tr_id, error.code)
            status_applied(
                send=send, pin_status_code="", send_result_code="", valid_until="", sell_price=None, consumer_price=None
            )
            continue
        if info is None:
            status_applied(
                send=send, pin_status_code="", send_result_code="", valid_until="", sell_price=None, consumer_price=None
            )
            continue
        changed += status_applied(
            send=send,
            pin_status_code=info.pin_status_code,
            send_result_code=info.send_result_code,
            valid_until=info.valid_until,
            sell_price=info.sell_price,
            consumer_price=info.consumer_price,
        )
    return changed


def check_bizmoney(*, client: Giftishow | None = None) -> BizmoneySnapshot | None:
    """Store the current balance (the Slack alerts read the newest snapshot)."""
    try:
        balance = (client or Giftishow()).bizmoney()
    except (GiftishowError, GiftishowUnavailable):
        return None
    return BizmoneySnapshot.objects.create(balance=balance, checked_at=timezone.now())


@shared_task(name="integrations.giftishow.send_batch", bind=True, ignore_result=True, max_retries=20)
def giftishow_send_batch(self, batch_id: int) -> str:
    outcome = run_batch(batch_id)
    if outcome == "retry":
        raise self.retry(countdown=60)
    return outcome


@shared_task(name="integrations.giftishow.poll_statuses", ignore_result=True)
def giftishow_poll_statuses() -> int:
    return poll_statuses()


@shared_task(name="integrations.giftishow.check_bizmoney", ignore_result=True)
def giftishow_check_bizmoney() -> None:
    check_bizmoney()
