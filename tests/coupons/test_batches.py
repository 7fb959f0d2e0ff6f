"""The send-batch pages: create and start a batch, watch it, resume one that paused.

The batch really goes through the Giftishow adapter's task (eager) against the loopback
Giftishow stand-in, so "started from the page" means coupons were sent.
"""

import pytest
from django.urls import reverse

from coupons.models import SendBatch, SendBatchStatus, SendLog
from erp.audit.models import AuditEvent

from .conftest import user_with

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_pages(settings):
    """Pages in English for the assertions (the product's default stays Korean)."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def eager_giftishow(giftishow, settings):
    """The Giftishow stand-in, with the worker's task run in process (eager) after commit."""
    from erp.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True
    try:
        yield giftishow
    finally:
        app.conf.task_always_eager = False


def _new_batch(client, campaign, goods, phones):
    return client.post(
        reverse("coupons:batches"), {"campaign": campaign.pk, "goods": goods.pk, "phones": "\n".join(phones)}
    )


def test_an_admin_creates_a_batch_and_the_coupons_are_sent(
    client, admin_user, campaign_a, goods_a, eager_giftishow, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = _new_batch(client, campaign_a, goods_a, ["010-1111-0001", "01011110002"])
    batch = SendBatch.objects.get()
    assert response.status_code == 302 and response.url == reverse("coupons:batch-detail", args=[batch.pk])
    batch.refresh_from_db()
    assert batch.status == SendBatchStatus.DONE
    assert sorted(call["phone_no"] for call in eager_giftishow.calls) == ["01011110001", "01011110002"]
    assert SendLog.objects.filter(batch=batch, succeeded=True).count() == 2
    assert AuditEvent.objects.filter(action__in=["created", "started"]).count() == 2
    page = client.get(response.url).content.decode()
    assert "2 of 2 sent, 0 refused by Giftishow" in page and "010-****-0001" in page and "01011110001" not in page
    assert "Start again" not in page  # a finished batch is not offered again
    listing = client.get(reverse("coupons:batches")).content.decode()
    assert f"#{batch.pk}" in listing and "2 / 2" in listing


def test_bad_numbers_are_a_form_error_and_nothing_is_created(client, admin_user, campaign_a, goods_a, settings):
    settings.LANGUAGE_CODE = "ko"  # the product's default: the error in Korean
    client.force_login(admin_user)
    response = _new_batch(client, campaign_a, goods_a, ["010-1111-0001", "12345", "010-2222"])
    assert response.status_code == 400
    assert "국내 휴대폰 번호가 아닌 줄이 있습니다: 2, 3." in response.content.decode()
    assert not SendBatch.objects.exists()


def test_a_paused_batch_resumes_and_sends_only_what_is_left(
    client, admin_user, campaign_a, goods_a, eager_giftishow, django_capture_on_commit_callbacks
):
    eager_giftishow.faults["/bizApi/send"] = [None, "E0010"]  # the second send: bizmoney runs out
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        _new_batch(client, campaign_a, goods_a, ["01011110001", "01011110002", "01011110003"])
    batch = SendBatch.objects.get()
    assert batch.status == SendBatchStatus.PAUSED
    page = client.get(reverse("coupons:batch-detail", args=[batch.pk])).content.decode()
    assert "Resume sending" in page and "1 of 3 sent" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("coupons:batch-resume", args=[batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == SendBatchStatus.DONE
    assert SendLog.objects.filter(batch=batch, succeeded=True).count() == 3
    assert AuditEvent.objects.filter(action="resumed").count() == 1
    # Finished: resuming again is refused with a message, not a 500.
    again = client.post(reverse("coupons:batch-resume", args=[batch.pk]), follow=True)
    assert "This batch is finished" in again.content.decode()


def test_a_down_broker_leaves_the_batch_queued_not_a_500(client, admin_user, campaign_a, goods_a, monkeypatch,
                                                         django_capture_on_commit_callbacks):  # fmt: skip
    from erp.celery import app

    def refuse(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(app.tasks["integrations.giftishow.send_batch"], "delay", refuse)
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = _new_batch(client, campaign_a, goods_a, ["01011110001"])
    assert response.status_code == 302
    assert SendBatch.objects.get().status == SendBatchStatus.QUEUED


def test_only_module_admins_send(client, viewer, campaign_a, goods_a):
    importer = user_with("importer", "view_sendlog", "import_sendlog")
    for user in (viewer, importer):
        client.force_login(user)
        assert client.get(reverse("coupons:batches")).status_code == 403
        assert _new_batch(client, campaign_a, goods_a, ["01011110001"]).status_code == 403
    assert not SendBatch.objects.exists()
    assert "Send batches" not in client.get(reverse("coupons:sends")).content.decode()
