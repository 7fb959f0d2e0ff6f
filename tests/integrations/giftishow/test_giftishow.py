"""The Giftishow adapter against the local stand-in: sends, faults, polling, bizmoney; no secret
or phone number in a log line."""

import logging

import pytest

from coupons.models import BizmoneySnapshot, PinStatus, SendBatchStatus, SendLog
from coupons.sending import batch_create
from integrations.giftishow.client import Giftishow
from integrations.giftishow.sending import check_bizmoney, poll_statuses, run_batch
from tests.fakes.giftishow import AUTH_CODE, AUTH_TOKEN

pytestmark = pytest.mark.django_db
PHONES = ["010-1111-0001", "010-1111-0002", "010-1111-0003"]


@pytest.fixture
def batch(campaign_a, goods_a, admin_user):
    return batch_create(campaign=campaign_a, goods=goods_a, phones=PHONES, by=admin_user)


def test_batch_sends_each_item_once_with_unique_tr_ids(giftishow, batch, caplog):
    caplog.set_level(logging.DEBUG)
    assert run_batch(batch.pk) == "done"
    sends = SendLog.objects.order_by("tr_id")
    assert sends.count() == 3 and all(s.succeeded and s.order_no for s in sends)
    tr_ids = [c["tr_id"] for c in giftishow.calls]
    assert len(set(tr_ids)) == 3 and all(len(t) <= 20 for t in tr_ids)
    assert giftishow.calls[0]["phone_no"] == "01011110001" and giftishow.calls[0]["dev_yn"] == "Y"
    assert run_batch(batch.pk) == "done" and len(giftishow.calls) == 3  # nothing sent again
    logged = caplog.text
    assert AUTH_TOKEN not in logged and AUTH_CODE not in logged and "01011110001" not in logged


def test_5xx_and_timeout_resume_without_double_sends(giftishow, batch):
    giftishow.faults["/bizApi/send"] = [None, "500"]
    assert run_batch(batch.pk) == "retry"
    assert SendLog.objects.count() == 1
    giftishow.fail("/bizApi/send", "timeout")  # reaches Giftishow, the answer is too late
    assert run_batch(batch.pk) == "retry"
    _wait_until(lambda: len(giftishow.coupons) == 2)  # the late answer is still on its way
    assert SendLog.objects.count() == 1
    # The retry meets "duplicate tr_id", confirms the coupon with 0201, records it as sent.
    assert run_batch(batch.pk) == "done"
    assert SendLog.objects.filter(succeeded=True).count() == 3
    assert len(giftishow.coupons) == 3
    batch.refresh_from_db()
    assert batch.status == SendBatchStatus.DONE


def _wait_until(condition, seconds=5.0):
    import time

    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the stand-in never got there"
        time.sleep(0.05)


def test_lost_answer_is_confirmed_not_resent(giftishow, batch):
    giftishow.fail("/bizApi/send", "lost")
    assert run_batch(batch.pk) == "retry"
    assert run_batch(batch.pk) == "done"
    assert len(giftishow.coupons) == 3 and SendLog.objects.filter(succeeded=True).count() == 3


def test_insufficient_bizmoney_pauses_and_resumes(giftishow, batch):
    giftishow.balance = 4230 * 2  # enough for two
    assert run_batch(batch.pk) == "paused"
    batch.refresh_from_db()
    assert batch.status == SendBatchStatus.PAUSED and "E0010" in batch.note
    assert SendLog.objects.count() == 2
    giftishow.balance = 100_000  # topped up
    assert run_batch(batch.pk) == "done"
    assert SendLog.objects.count() == 3


def test_other_errors_are_the_items_result(giftishow, batch):
    giftishow.fail("/bizApi/send", None, "E0101")  # the second coupon: goods suspended
    assert run_batch(batch.pk) == "done"
    results = list(SendLog.objects.order_by("tr_id").values_list("succeeded", "result_code"))
    assert results == [(True, "0000"), (False, "E0101"), (True, "0000")]


def test_polling_moves_statuses(giftishow, batch):
    run_batch(batch.pk)
    tr_ids = sorted(giftishow.coupons)
    giftishow.set_status(tr_ids[0], "02")
    giftishow.set_status(tr_ids[1], "08")
    assert poll_statuses() == 3  # all three changed (delivery results arrived)
    statuses = dict(SendLog.objects.values_list("tr_id", "pin_status"))
    assert statuses == {tr_ids[0]: PinStatus.USED, tr_ids[1]: PinStatus.EXPIRED, tr_ids[2]: PinStatus.ISSUED}
    assert SendLog.objects.get(tr_id=tr_ids[2]).delivered
    polled = len(giftishow.calls)
    poll_statuses()
    # Used and expired coupons are final: only the issued one is asked about again.
    assert [c["tr_id"] for c in giftishow.calls[polled:]] == [tr_ids[2]]
    giftishow.fail("/bizApi/coupons", "500")
    assert poll_statuses() == 0  # unavailable: stop, try next tick


def test_bizmoney_snapshot(giftishow):
    giftishow.balance = 123_456
    assert check_bizmoney().balance == 123_456
    giftishow.fail("/bizApi/bizmoney", "500")
    assert check_bizmoney() is None
    assert BizmoneySnapshot.objects.count() == 1


def test_wrong_credentials_are_an_error_without_echo(giftishow, settings, caplog):
    settings.GIFTISHOW_AUTH_TOKEN = "REALsecret-token"
    from integrations.giftishow.client import GiftishowError

    with pytest.raises(GiftishowError) as error:
        Giftishow().bizmoney()
    assert error.value.code == "E0006"
    assert "REALsecret" not in caplog.text and "REALsecret" not in str(error.value)
