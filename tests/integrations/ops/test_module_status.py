"""Module status sections (erp/core/status.py) on /metrics and the system status page.

Calendar sync lag, inquiry intake, coupon imports and alert ingestion, each registered by
its own module in ready(); the rows are real, the clock is pinned (freeze below).
"""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model

from alerts.models import Item, ItemKind
from alerts.models import Source as AlertSource
from alerts.models import SourceKind as AlertSourceKind
from coupons.models import ImportRun, ImportStatus
from erp.core.status import Metric, StatusReport, StatusSection, register_status_section, status_sections
from inquiries.models import Inquiry, InquirySource
from meetings.models import CalendarSource, Room

NOW = datetime(2026, 3, 10, 1, 0, tzinfo=UTC)  # 10:00 KST on a Tuesday


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def staff(db, client):
    user = get_user_model().objects.create_user("ops", "ops@haru.example", "pw", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


@pytest.fixture
def module_rows(db, frozen):
    now = frozen
    big = Room.objects.create(name="큰 회의실", floor="3F", capacity=10)
    small = Room.objects.create(name="작은 회의실", floor="3F", capacity=4)
    CalendarSource.objects.create(
        room=big, kind="google", address="big@resource", last_synced_at=now - timedelta(minutes=2)
    )
    CalendarSource.objects.create(
        room=small,
        kind="ics",
        address="https://cal.example/small.ics",
        last_synced_at=now - timedelta(hours=3),
        failures=4,
        last_error="HTTP 503",
    )
    Inquiry.objects.bulk_create(
        [
            Inquiry(
                source=InquirySource.WEBSITE,
                received_at=now - timedelta(minutes=m),
                customer_name="김고객",
                subject="문의",
                message="견적 부탁드립니다",
            )
            for m in (5, 20, 50, 90)
        ]
        + [
            Inquiry(
                source=InquirySource.EMAIL,
                received_at=now - timedelta(minutes=1),
                customer_name="이고객",
                subject="문의",
                message="메일 문의",
            )
        ]
    )
    done = ImportRun.objects.create(source="web", status=ImportStatus.DONE, inserted=120, updated=3, error_count=2)
    ImportRun.objects.filter(pk=done.pk).update(
        created_at=now - timedelta(hours=2), finished_at=now - timedelta(hours=1)
    )
    stuck = ImportRun.objects.create(source="command", status=ImportStatus.RUNNING)
    ImportRun.objects.filter(pk=stuck.pk).update(created_at=now - timedelta(hours=3))
    ImportRun.objects.create(source="api", status=ImportStatus.REFUSED)
    hook = AlertSource.objects.create(name="grafana", kind=AlertSourceKind.WEBHOOK)
    AlertSource.objects.create(
        name="django-releases",
        kind=AlertSourceKind.FEED,
        url="https://feeds.example/django.atom",
        poll_minutes=30,
        last_fetched_at=now - timedelta(minutes=100),
    )
    Item.objects.bulk_create(
        [
            Item(source=hook, kind=ItemKind.ALERT, external_id=f"a{n}", received_at=now - timedelta(minutes=n))
            for n in (1, 2, 3, 70)
        ]
    )
    return now


def _value(text: str, sample: str) -> float:
    for line in text.splitlines():
        if line.startswith(sample + " "):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{sample} not in /metrics")


def test_each_module_registers_its_section_once():
    keys = [section.key for section in status_sections()]
    for key in ("meetings.calendar_sync", "inquiries.intake", "coupons.imports", "alerts.ingestion"):
        assert keys.count(key) == 1


def test_metrics_carry_sync_lag_intake_imports_and_ingestion(client, staff, module_rows):
    text = client.get("/metrics").content.decode()
    big = CalendarSource.objects.get(kind="google").pk
    small = CalendarSource.objects.get(kind="ics").pk
    assert _value(text, f'haru_calendar_sync_lag_seconds{{kind="google",room="큰 회의실",source="{big}"}}') == 120
    assert _value(text, f'haru_calendar_sync_lag_seconds{{kind="ics",room="작은 회의실",source="{small}"}}') == 3 * 3600
    assert _value(text, f'haru_calendar_sync_failures{{kind="ics",room="작은 회의실",source="{small}"}}') == 4
    assert _value(text, 'haru_inquiries_received_last_hour{source="website"}') == 3
    assert _value(text, 'haru_inquiries_received_last_hour{source="email"}') == 1
    assert _value(text, 'haru_inquiries_received_last_hour{source="api"}') == 0
    assert _value(text, "haru_inquiries_last_received_age_seconds") == 60
    assert _value(text, 'haru_coupon_imports_last_day{status="done"}') == 1
    assert _value(text, 'haru_coupon_imports_last_day{status="running"}') == 1
    assert _value(text, 'haru_coupon_import_rows_last_day{outcome="inserted"}') == 120
    assert _value(text, "haru_coupon_import_running_oldest_age_seconds") == 3 * 3600
    assert _value(text, "haru_coupon_import_last_finished_timestamp_seconds") == (NOW - timedelta(hours=1)).timestamp()
    assert _value(text, 'haru_alert_items_last_hour{kind="webhook",source="grafana"}') == 3
    assert _value(text, 'haru_alert_feed_fetch_lag_seconds{source="django-releases"}') == 6000
    assert _value(text, 'haru_alert_feed_overdue_seconds{source="django-releases"}') == 6000 - 1800
    assert _value(text, "haru_status_errors") == 0


def test_status_page_shows_each_module_and_its_problems(client, staff, module_rows, settings):
    settings.LANGUAGE_CODE = "ko"
    page = client.get("/admin/system-status/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    for heading in ("회의실 캘린더 동기화", "문의 접수", "쿠폰 가져오기 (최근 24시간)", "알림 소스"):
        assert heading in page, heading
    assert "HTTP 503" in page
    # The small room's calendar (3 hours behind, failing), the stuck import and the late feed.
    assert "작은 회의실" in page and "큰 회의실" in page
    assert page.count('class="warning"') == 3


def test_empty_installation_still_lists_every_family(client, staff, frozen):
    text = client.get("/metrics").content.decode()
    for name in (
        "haru_calendar_sync_lag_seconds",
        "haru_inquiries_received_last_hour",
        "haru_coupon_imports_last_day",
        "haru_alert_feed_fetch_lag_seconds",
    ):
        assert f"# TYPE {name} gauge" in text


def test_a_failing_section_is_reported_not_raised(client, staff, frozen):
    from erp.core import status

    def broken(now):
        raise RuntimeError("table missing")

    section = StatusSection("tests.broken", "broken", ("x",), broken, metrics=(Metric("haru_test_broken", "x"),))
    register_status_section(section)
    try:
        assert client.get("/metrics").status_code == 200
        text = client.get("/metrics").content.decode()
        assert _value(text, "haru_status_errors") == 1
        assert "tests.broken: RuntimeError: table missing" in client.get("/admin/system-status/").content.decode()
    finally:
        status._sections.pop("tests.broken")


def test_two_modules_cannot_share_a_metric_name():
    from erp.core import status

    taken = status_sections()[0].metrics[0]
    clash = StatusSection("tests.clash", "clash", (), lambda now: StatusReport(), metrics=(taken,))
    with pytest.raises(ValueError, match="reuses metric names"):
        register_status_section(clash)
    assert "tests.clash" not in status._sections
