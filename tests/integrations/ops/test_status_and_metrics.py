"""/metrics (restricted) and the admin's system status page, read from real rows."""

import socket
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from slack_sdk.errors import SlackApiError

from erp.celery import app as celery_app
from integrations.ops import heartbeats
from integrations.ops.models import Heartbeat
from integrations.ops.status import queue_depths, snapshot
from integrations.slack.core.models import DeliveryStatus, SlackMessage
from integrations.slack.socket.models import ConnectionState, SocketConnection


@pytest.fixture
def staff(db, client):
    user = get_user_model().objects.create_user("ops", "ops@haru.example", "pw", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


@pytest.fixture
def machinery(db):
    now = timezone.now()
    SlackMessage.objects.create(kind="tickets.created", target="C1", text="a")
    old = SlackMessage.objects.create(kind="tickets.created", target="C1", text="b")
    SlackMessage.objects.filter(pk=old.pk).update(created_at=now - timedelta(minutes=10))
    SlackMessage.objects.create(kind="attendance.checked_in", target="D1", text="c", status=DeliveryStatus.FAILED)
    SlackMessage.objects.create(kind="tickets.created", target="C1", text="d", status=DeliveryStatus.SENT)
    heartbeats.beat_once("celery@web1", "worker", "default,slack")
    heartbeats.beat_once("beat@web1:42", "beat")
    Heartbeat.objects.filter(name="beat@web1:42").update(seen_at=now - timedelta(minutes=10))
    SocketConnection.objects.create(
        name="intranet:7",
        state=ConnectionState.CONNECTED,
        started_at=now,
        heartbeat_at=now,
        num_connections=2,
        last_disconnect_reason="refresh_requested",
    )


def test_metrics_need_staff_or_the_token(client, db, settings):
    settings.METRICS_TOKEN = "scrape-secret"
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-secret").status_code == 200


def test_no_token_configured_means_no_anonymous_scrape(client, db, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 403


def test_metrics_report_outbox_processes_and_requests(client, staff, machinery):
    client.get("/healthz")
    text = client.get("/metrics").content.decode()
    assert 'haru_outbox_messages{kind="tickets.created",status="pending"} 2.0' in text
    assert 'haru_outbox_messages{kind="attendance.checked_in",status="failed"} 1.0' in text
    age = _value(text, 'haru_outbox_oldest_age_seconds{kind="tickets.created",status="pending"}')
    assert 590 < age < 700
    assert 'haru_process_alive{name="celery@web1",role="worker"} 1.0' in text
    assert 'haru_process_alive{name="beat@web1:42",role="beat"} 0.0' in text
    assert 'haru_process_alive{name="intranet:7",role="slack_socket"} 1.0' in text
    assert 'haru_http_request_duration_seconds_count{method="GET",view="healthz"}' in text
    assert "haru_uploads_bytes" in text


def test_slack_calls_are_counted_by_method_and_outcome(client, staff, slack):
    from integrations.slack.core.client import get_client

    slack.rate_limit_next("chat.postMessage")
    client_ = get_client()
    with pytest.raises(SlackApiError):
        client_.chat_postMessage(channel="C1", text="hi")
    client_.chat_postMessage(channel="C1", text="hi")
    text = client.get("/metrics").content.decode()
    assert _value(text, 'haru_slack_api_calls_total{method="chat.postMessage",outcome="ratelimited"}') >= 1
    assert _value(text, 'haru_slack_api_calls_total{method="chat.postMessage",outcome="ok"}') >= 1


def test_status_page_shows_backlog_processes_and_disk(client, staff, machinery):
    page = client.get("/admin/system-status/").content.decode()
    assert "tickets.created" in page and "attendance.checked_in" in page
    assert "celery@web1" in page and "intranet:7" in page and "refresh_requested" in page
    assert "not responding" in page or "응답 없음" in page  # the beat that went quiet
    assert "media" in page or "test-media" in page


def test_status_page_is_for_staff_only(client, db):
    response = client.get("/admin/system-status/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_dead_broker_is_reported_not_raised(client, staff, machinery, settings):
    port = _closed_port()
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{port}/0"
    snap = snapshot()
    assert any(error.startswith("queues:") for error in snap.errors)
    assert snap.outbox  # the rest is still there
    assert client.get("/admin/system-status/").status_code == 200
    assert "haru_status_errors 1.0" in client.get("/metrics").content.decode()


def test_queue_depths_on_the_filesystem_broker(settings, tmp_path):
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(tmp_path)}
    (tmp_path / "1_abc.slack.msg").write_text("{}")
    (tmp_path / "2_def.imports.msg").write_text("{}")
    (tmp_path / "3_ghi.imports.msg").write_text("{}")
    assert queue_depths() == {"slack": 1, "default": 0, "imports": 2, "sync": 0, "reports": 0}


@pytest.mark.parametrize(
    ("task", "queue"),
    [
        ("integrations.slack.deliver_message", "slack"),
        ("integrations.slack.sweep_outbox", "slack"),
        ("integrations.slack.daily_ticket_digest", "reports"),
        ("integrations.slack.attendance_morning_post", "reports"),
        ("coupons.tasks.import_send_log", "imports"),
        ("meetings.tasks.sync_calendars", "sync"),
        ("alerts.tasks.poll_feeds", "sync"),
        ("tickets.tasks.check_sla", "default"),
    ],
)
def test_tasks_are_routed_by_kind_of_work(task, queue):
    assert celery_app.amqp.router.route({}, task)["queue"].name == queue


def _value(text: str, series: str) -> float:
    for line in text.splitlines():
        if line.startswith(series + " "):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{series} not in metrics")


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
