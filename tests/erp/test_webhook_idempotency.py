"""erp.core.webhooks idempotency: a repeated delivery gets the first answer and is never
handled twice, also when two arrive at once (unique constraint plus the handler's row lock)."""

import hashlib
import threading
import uuid
from datetime import datetime, timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.utils import timezone, translation

from erp.core.models import ReceiptState, WebhookReceipt
from erp.core.retention import run_one
from erp.core.tasks import RETENTION_TASK
from erp.core.webhooks import REPLAYED_HEADER
from erp.people.models import Department
from erp.workcalendar.calendar import KST
from tests.erp import webhook_urls

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.erp.webhook_urls")]

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=KST)
TOKEN = {"HTTP_AUTHORIZATION": "Bearer tok-1", "HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def _setup(settings):
    webhook_urls.CALLS.clear()
    settings.TEST_WEBHOOK_TOKEN = "tok-1"
    with translation.override("en"):
        yield


@pytest.fixture
def clock(monkeypatch):
    state = {"now": NOW}
    monkeypatch.setattr(timezone, "now", lambda: state["now"])
    return state


def post(client, body, key=None, url="/hook/token", **headers):
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post(url, body, content_type="application/json", **{**TOKEN, **headers})


def test_a_repeat_gets_the_first_answer_and_is_not_handled_again(client, clock):
    first = post(client, {"name": "문의"}, key="k-1")
    again = post(client, {"name": "문의"}, key="k-1")
    assert first.status_code == again.status_code == 201
    assert again.content == first.content and again["Content-Type"] == first["Content-Type"]
    assert again[REPLAYED_HEADER] == "true" and REPLAYED_HEADER not in first
    assert len(webhook_urls.CALLS) == 1 and Department.objects.count() == 1
    receipt = WebhookReceipt.objects.get()
    assert (receipt.source, receipt.key, receipt.state, receipt.duplicates) == ("tests.token", "k-1", "done", 1)
    assert (receipt.status_code, receipt.claimed_at, receipt.finished_at) == (201, NOW, NOW)


def test_deliveries_without_a_key_are_each_handled(client):
    post(client, {"name": "문의"})
    post(client, {"name": "문의"})
    assert len(webhook_urls.CALLS) == 2 and not WebhookReceipt.objects.exists()


def test_the_key_may_be_a_field_named_by_the_source(client):
    post(client, {"submission_id": "form-77", "name": "문의"})
    again = post(client, {"submission_id": "form-77", "name": "문의"})
    assert again[REPLAYED_HEADER] == "true" and len(webhook_urls.CALLS) == 1
    assert webhook_urls.CALLS[0].key == "form-77"
    post(client, {"submission_id": 78})
    assert webhook_urls.CALLS[1].key == "78"


def test_the_header_wins_over_the_field(client):
    post(client, {"submission_id": "form-1"}, key="header-1")
    assert WebhookReceipt.objects.get().key == "header-1"


def test_the_same_key_with_another_body_is_a_422(client):
    post(client, {"name": "첫 문의"}, key="k-1")
    response = post(client, {"name": "다른 문의"}, key="k-1")
    assert response.status_code == 422
    assert response.json() == {"message": "This idempotency key was already used for a different body."}
    assert len(webhook_urls.CALLS) == 1


@pytest.mark.parametrize("key", ["x" * 201, "키-1", "tab\there"])
def test_a_malformed_key_is_a_400_naming_it(client, key):
    response = post(client, {"a": 1}, HTTP_IDEMPOTENCY_KEY=key.encode().decode("latin-1"))
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["errors"]
    assert not webhook_urls.CALLS


@pytest.mark.parametrize("field", [True, 1.5, ["a"], {"a": 1}])
def test_a_field_key_that_is_not_text_or_a_number_is_a_400(client, field):
    response = post(client, {"submission_id": field})
    assert response.status_code == 400 and not webhook_urls.CALLS


def test_a_required_key_that_is_missing_is_a_400(client, db):
    Department.objects.create(name="인프라팀", code="infra")
    response = post(client, {"a": 1}, url="/hook/per-sender", HTTP_AUTHORIZATION="Dept dept-infra")
    assert response.status_code == 400
    assert response.json()["message"] == "Send the Idempotency-Key header: one unique key per delivery."


def test_keys_are_per_sender(client, db):
    infra = Department.objects.create(name="인프라팀", code="infra")
    sales = Department.objects.create(name="영업팀", code="sales")
    for sender in (infra, sales):
        auth = f"Dept dept-{sender.code}"
        assert post(client, {"a": 1}, key="batch-1", url="/hook/per-sender", HTTP_AUTHORIZATION=auth).status_code == 201
    assert len(webhook_urls.CALLS) == 2
    assert sorted(WebhookReceipt.objects.values_list("principal", flat=True)) == sorted([str(infra.pk), str(sales.pk)])


def test_a_crash_releases_the_key_and_rolls_back_the_handler(client):
    with pytest.raises(RuntimeError):
        post(client, {"fail": "exception"}, key="k-1")
    assert not WebhookReceipt.objects.exists() and not Department.objects.exists()
    # The sender's retry is handled afresh (and fails the same way here).
    with pytest.raises(RuntimeError):
        post(client, {"fail": "exception"}, key="k-1")
    assert len(webhook_urls.CALLS) == 2


def test_a_5xx_answer_is_not_stored_and_its_writes_roll_back(client):
    response = post(client, {"fail": "500"}, key="k-1")
    assert response.status_code == 503
    assert not WebhookReceipt.objects.exists() and not Department.objects.exists()
    assert REPLAYED_HEADER not in post(client, {"fail": "500"}, key="k-1")
    assert len(webhook_urls.CALLS) == 2


def test_a_refusal_raised_by_the_handler_is_not_stored(client):
    response = post(client, {"fail": "400"}, key="k-1")
    assert response.status_code == 400 and response.json()["errors"] == {"fail": ["asked to fail"]}
    assert not WebhookReceipt.objects.exists()


def test_an_answered_refusal_is_stored_like_any_answer(client):
    assert post(client, [1, 2], key="k-1").status_code == 400  # the handler answers 400
    again = post(client, [1, 2], key="k-1")
    assert again.status_code == 400 and again[REPLAYED_HEADER] == "true"
    assert len(webhook_urls.CALLS) == 1


def processing_row(key="k-1", claimed_at=NOW, body=b'{"a": 1}'):
    return WebhookReceipt.objects.create(
        source="tests.token",
        principal="",
        key=key,
        body_sha256=hashlib.sha256(body).hexdigest(),
        claim=uuid.uuid4(),
        claimed_at=claimed_at,
    )


def test_a_repeat_while_the_first_is_at_work_is_a_409_with_retry_after(client, clock):
    processing_row(claimed_at=NOW - timedelta(minutes=4))
    response = client.post(
        "/hook/token", b'{"a": 1}', content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1", **TOKEN
    )
    assert response.status_code == 409 and response["Retry-After"] == "1"
    assert "still being processed" in response.json()["message"]
    assert not webhook_urls.CALLS


def test_a_stale_claim_of_a_dead_worker_is_taken_over(client, clock):
    stale = processing_row(claimed_at=NOW - timedelta(minutes=6))
    response = client.post(
        "/hook/token", b'{"a": 1}', content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1", **TOKEN
    )
    assert response.status_code == 201 and len(webhook_urls.CALLS) == 1
    receipt = WebhookReceipt.objects.get()
    assert receipt.state == ReceiptState.DONE and receipt.claim != stale.claim and receipt.claimed_at == NOW


def test_one_row_per_source_sender_and_key(db):
    processing_row()
    with pytest.raises(IntegrityError), transaction.atomic():
        processing_row()
    processing_row(key="k-2")


def test_receipts_are_purged_after_a_week(clock, settings):
    assert settings.CELERY_BEAT_SCHEDULE[RETENTION_TASK]["task"] == RETENTION_TASK
    old = processing_row(key="old", claimed_at=NOW - timedelta(days=7, seconds=1))
    kept = processing_row(key="kept", claimed_at=NOW - timedelta(days=6))
    assert run_one("core.webhook_receipts", now=NOW) == 1
    assert list(WebhookReceipt.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not WebhookReceipt.objects.filter(pk=old.pk).exists()


def _first_delivery_held(monkeypatch):
    """Start a first delivery in a thread and hold its handler; returns (results, release, thread)."""
    entered, release = threading.Event(), threading.Event()
    original = webhook_urls.RecordingHook.handle

    def slow_handle(self, request, delivery):
        entered.set()
        assert release.wait(10)
        return original(self, request, delivery)

    monkeypatch.setattr(webhook_urls.RecordingHook, "handle", slow_handle)
    results = {}

    def first():
        try:
            results["first"] = post(Client(), {"a": 1}, key="same")
        finally:
            connection.close()

    thread = threading.Thread(target=first)
    thread.start()
    assert entered.wait(10)
    return results, release, thread


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_identical_deliveries_at_once_are_handled_once(monkeypatch):
    """The second arrives while the first handler is still running: 409, then the replay."""
    results, release, thread = _first_delivery_held(monkeypatch)
    results["second"] = post(Client(), {"a": 1}, key="same")
    release.set()
    thread.join(10)
    results["third"] = post(Client(), {"a": 1}, key="same")

    assert results["first"].status_code == 201
    assert results["second"].status_code == 409
    assert results["third"].status_code == 201 and results["third"][REPLAYED_HEADER] == "true"
    assert results["third"].content == results["first"].content
    assert len(webhook_urls.CALLS) == 1 and Department.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_slow_live_handler_is_not_taken_over_even_after_the_timeout(monkeypatch, clock):
    """PostgreSQL: the handler's row lock, not the clock, tells a repeat it is alive."""
    results, release, thread = _first_delivery_held(monkeypatch)
    clock["now"] = NOW + timedelta(hours=1)  # far past processing_timeout
    results["second"] = post(Client(), {"a": 1}, key="same")
    release.set()
    thread.join(10)
    assert results["second"].status_code == 409 and results["first"].status_code == 201
    assert len(webhook_urls.CALLS) == 1


@pytest.mark.urls("erp.urls")
def test_receipts_are_listed_read_only_in_admin(clock, admin_client):
    # clock first: the admin session then expires relative to the pinned moment, whatever the real one.
    processing_row(key="k-admin")
    page = admin_client.get("/admin/core/webhookreceipt/")
    assert page.status_code == 200 and "k-admin" in page.content.decode()
    receipt = WebhookReceipt.objects.get()
    assert admin_client.post(f"/admin/core/webhookreceipt/{receipt.pk}/change/", {"key": "x"}).status_code == 403
