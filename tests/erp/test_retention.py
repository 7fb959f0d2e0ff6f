"""Retention: every module's record types, their periods and actions, the dry run, the
nightly run (one audit event per run) — all with a pinned clock."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.urls import reverse

from erp.audit.models import AuditEvent
from erp.core.models import RetentionRun, RetentionSetting
from erp.core.retention import ANONYMISE, DELETE, RetentionPolicy, plan, policies, register_retention, run
from erp.core.retention import registry as retention_registry
from erp.core.tasks import RETENTION_TASK
from erp.people.models import Employee
from erp.workcalendar.calendar import KST

pytestmark = pytest.mark.django_db

# A Monday night in KST, when the nightly run (03:30) has just happened.
NOW = datetime(2027, 3, 1, 3, 30, tzinfo=KST)
THREE_YEARS = timedelta(days=1096)


@pytest.fixture(autouse=True)
def pinned():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def employee(db):
    user = get_user_model().objects.create_user("retention.kim", password="x")
    return Employee.objects.create(user=user, display_name="김보존", employee_no="R0001")


def count(key: str) -> int:
    return next(step.count for step in plan(NOW) if step.policy.key == key)


def test_every_record_type_of_the_issue_has_a_policy_with_a_reason():
    keys = {item.key for item in policies()}
    assert {
        "attendance.punches",
        "attendance.work_days",
        "attendance.corrections",
        "audit.events",
        "tickets.closed_tickets",
        "slack.outbox",
        "slack.event_receipts",
        "inquiries.personal_data",
        "coupons.recipient_phones",
        "alerts.items",
        "meetings.bookings",
        "core.webhook_receipts",
    } <= keys
    for item in policies():
        assert str(item.reason) and item.action in (DELETE, ANONYMISE)
        assert item.default_period >= item.minimum_days
    for key in ("attendance.punches", "attendance.work_days", "attendance.corrections"):
        assert retention_registry.policy(key).minimum_days >= 1095  # 근로기준법 제42조: three years


def test_the_nightly_run_is_a_beat_entry(settings):
    assert settings.CELERY_BEAT_SCHEDULE[RETENTION_TASK]["task"] == RETENTION_TASK
    for gone in ("integrations.slack.prune_outbox", "coupons.anonymise_phones", "erp.core.purge_webhook_receipts"):
        assert gone not in settings.CELERY_BEAT_SCHEDULE  # now policies of the one run


def test_punches_and_work_days_are_kept_three_years_then_deleted(employee):
    from attendance.models import Punch, WorkDay

    old_at, kept_at = NOW - THREE_YEARS - timedelta(days=1), NOW - THREE_YEARS + timedelta(days=1)
    for moment in (old_at, kept_at):
        Punch.objects.create(source="web", employee=employee, at=moment, direction="in")
        day = moment.astimezone(KST).date()
        WorkDay.objects.create(employee=employee, date=day, week_start=day - timedelta(days=day.weekday()))
    assert (count("attendance.punches"), count("attendance.work_days")) == (1, 1)  # the dry run changes nothing
    assert Punch.objects.count() == 2
    record = run(NOW)
    assert record.counts["attendance.punches"] == 1 and record.counts["attendance.work_days"] == 1
    assert list(Punch.objects.values_list("at", flat=True)) == [kept_at]
    assert WorkDay.objects.count() == 1


def test_an_old_device_batch_goes_after_its_punches(employee):
    from attendance.models import Device, Punch, PunchBatch

    device = Device.objects.create(code="old-gate", name="옛 출입문")
    batch = PunchBatch.objects.create(device=device, kind=PunchBatch.Kind.CSV, filename="2023-01.csv")
    PunchBatch.objects.filter(pk=batch.pk).update(received_at=NOW - THREE_YEARS - timedelta(days=2))
    Punch.objects.create(source="device", employee=employee, batch=batch, at=NOW - THREE_YEARS - timedelta(days=3))
    counts = run(NOW).counts
    assert counts["attendance.punches"] == 1 and counts["attendance.punch_batches"] == 1
    assert not PunchBatch.objects.exists()


def test_an_admin_cannot_shorten_attendance_below_the_legal_minimum(admin_client):
    url = reverse("admin:core_retentionsetting_add")
    answer = admin_client.post(url, {"key": "attendance.punches", "days": 365, "enabled": "on"})
    assert answer.status_code == 200 and not RetentionSetting.objects.exists()
    assert "1096" in answer.content.decode()
    # A longer period is fine, and the run follows it.
    answer = admin_client.post(url, {"key": "attendance.punches", "days": 2000, "enabled": "on"})
    assert answer.status_code == 302
    assert next(step.days for step in plan(NOW) if step.policy.key == "attendance.punches") == 2000
    # A setting written around the form is still held to the minimum.
    RetentionSetting.objects.filter(key="attendance.punches").update(days=10)
    assert next(step.days for step in plan(NOW) if step.policy.key == "attendance.punches") == 1096


def test_a_paused_policy_does_nothing(employee):
    from attendance.models import Punch

    Punch.objects.create(source="web", employee=employee, at=NOW - timedelta(days=2000), direction="in")
    RetentionSetting.objects.create(key="attendance.punches", days=1096, enabled=False)
    assert "attendance.punches" not in run(NOW).counts and Punch.objects.count() == 1


def test_one_audit_event_per_run_with_the_counts():
    first = run(NOW)
    events = AuditEvent.objects.filter(action="retention_run")
    assert events.count() == 1 and events.get().object_id == str(first.pk)
    assert events.get().context["counts"] == first.counts and events.get().source == "system"
    run(NOW)
    assert AuditEvent.objects.filter(action="retention_run").count() == 2
    assert RetentionRun.objects.count() == 2


def test_a_failing_policy_is_reported_and_the_others_still_run(employee):
    from attendance.models import Punch

    def broken(cutoff):
        raise RuntimeError("table missing")

    register_retention(RetentionPolicy("test.broken", "broken", 1, DELETE, "test", broken, order=0))
    try:
        Punch.objects.create(source="web", employee=employee, at=NOW - timedelta(days=2000), direction="in")
        record = run(NOW)
        assert record.failed == ["test.broken"] and record.counts["attendance.punches"] == 1
    finally:
        retention_registry._policies.pop("test.broken")


def test_inquiries_lose_personal_data_and_keep_their_figures():
    from inquiries.models import Answer, Inquiry

    old = Inquiry.objects.create(
        source="web",
        received_at=NOW - timedelta(days=400),
        customer_name="홍길동",
        email="hong@example.com",
        phone="010-1234-5678",
        subject="견적 문의",
        message="제 번호는 010-1234-5678입니다",
        category="quote" if "quote" in dict(Inquiry._meta.get_field("category").choices) else "other",
        ip_address="203.0.113.9",
        utm_source="newsletter",
    )
    Answer.objects.create(
        inquiry=old, to_email="hong@example.com", subject="답변", body="안녕하세요 홍길동님", status="sent"
    )
    fresh = Inquiry.objects.create(
        source="web", received_at=NOW - timedelta(days=10), customer_name="임꺽정", subject="문의", message="내용"
    )
    assert count("inquiries.personal_data") == 1
    assert run(NOW).counts["inquiries.personal_data"] == 1
    old.refresh_from_db()
    assert (old.customer_name, old.email, old.phone, old.message, old.ip_address) == ("", "", "", "", None)
    assert (old.subject, old.utm_source, old.received_at) == ("견적 문의", "newsletter", NOW - timedelta(days=400))
    assert Answer.objects.get().to_email == "" and Answer.objects.get().body == ""
    fresh.refresh_from_db()
    assert fresh.customer_name == "임꺽정"
    assert count("inquiries.personal_data") == 0  # nothing twice


def test_closed_tickets_lose_their_text_and_attachments_and_keep_numbers(employee, settings, tmp_path):
    from tickets.models import Attachment, Comment, Ticket

    settings.MEDIA_ROOT = str(tmp_path)
    user = employee.user
    old = Ticket.objects.create(
        number="SR-9001", title="급여 계좌 변경 110-123-456789", description="계좌 110-123-456789", requester=user
    )
    Ticket.objects.filter(pk=old.pk).update(closed_at=NOW - THREE_YEARS - timedelta(days=1), status="closed")
    recent = Ticket.objects.create(number="SR-9002", title="모니터 교체", requester=user)
    Ticket.objects.filter(pk=recent.pk).update(closed_at=NOW - timedelta(days=30), status="closed")
    Comment.objects.create(ticket=old, author=user, body="통장 사본 첨부합니다")
    attachment = Attachment(ticket=old, original_name="통장.pdf", uploaded_by=user, size=3)
    attachment.file.save("bank.pdf", ContentFile(b"pdf"), save=False)
    attachment.save()
    stored = attachment.file.path
    assert count("tickets.closed_tickets") == 1
    run(NOW)
    old.refresh_from_db()
    assert (old.number, old.title, old.description) == ("SR-9001", "-", "")
    assert Comment.objects.get(ticket=old).body == ""
    assert not Attachment.objects.filter(ticket=old).exists()
    import os

    assert not os.path.exists(stored)
    assert Ticket.objects.get(pk=recent.pk).title == "모니터 교체"


def test_audit_events_keep_who_and_when_but_lose_the_values(employee):
    from erp.audit.services import audit_record

    event = audit_record(employee, "updated", by=None, changes={"display_name": ["김보존", "김보관"]})
    AuditEvent.objects.filter(pk=event.pk).update(created_at=NOW - THREE_YEARS - timedelta(days=1))
    kept = audit_record(employee, "updated", by=None, changes={"display_name": ["김보관", "김보존"]})
    run(NOW)
    event.refresh_from_db(), kept.refresh_from_db()
    assert event.changes == {} and event.action == "updated" and event.object_id == str(employee.pk)
    assert kept.changes


def test_alert_items_and_past_bookings_are_anonymised(employee):
    from alerts.models import Item, Source
    from meetings.models import Booking, Room

    source = Source.objects.create(name="메일 알림", kind="mailbox")
    item = Item.objects.create(
        source=source,
        kind="email",
        external_id="m1",
        title="서버 경고",
        body="담당: 010-1111-2222",
        raw="From: a@b.c",
        received_at=NOW - timedelta(days=181),
    )
    room = Room.objects.create(name="회의실 A", floor="3F", capacity=6)
    booking = Booking.objects.create(
        room=room,
        title="연봉 협상",
        organizer=employee,
        start=NOW - timedelta(days=800),
        end=NOW - timedelta(days=800, hours=-1),
    )
    booking.attendees.add(employee)
    counts = run(NOW).counts
    assert counts["alerts.items"] == 1 and counts["meetings.bookings"] == 1
    item.refresh_from_db(), booking.refresh_from_db()
    assert (item.body, item.raw, item.title) == ("", "", "서버 경고")
    assert booking.title == "" and not booking.attendees.exists() and booking.room == room


def test_the_outbox_keeps_failed_rows_and_deletes_delivered_ones():
    from integrations.slack.core.models import DeliveryStatus, SlackMessage

    sent = SlackMessage.objects.create(kind="test.x", target="C1", text="a", status=DeliveryStatus.SENT)
    failed = SlackMessage.objects.create(kind="test.x", target="C1", text="b", status=DeliveryStatus.FAILED)
    SlackMessage.objects.filter(pk__in=[sent.pk, failed.pk]).update(created_at=NOW - timedelta(days=31))
    assert run(NOW).counts["slack.outbox"] == 1
    assert list(SlackMessage.objects.values_list("pk", flat=True)) == [failed.pk]


def test_the_admin_page_shows_each_policy_and_tonights_counts(admin_client, employee):
    from attendance.models import Punch

    Punch.objects.create(source="web", employee=employee, at=NOW - timedelta(days=2000), direction="in")
    page = admin_client.get(reverse("admin:core_retentionsetting_dry_run"))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-key="attendance.punches"' in body and 'data-key="inquiries.personal_data"' in body
    row = body.split('data-key="attendance.punches"', 1)[1].split("</tr>", 1)[0]
    assert '<td class="count">1</td>' in row
    assert Punch.objects.count() == 1  # a dry run
    assert admin_client.get(reverse("admin:core_retentionsetting_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:core_retentionrun_changelist")).status_code == 200


def test_staff_without_permission_cannot_see_the_retention_pages(client):
    user = get_user_model().objects.create_user("staff.only", password="x", is_staff=True)
    client.force_login(user)
    assert client.get(reverse("admin:core_retentionsetting_dry_run")).status_code in (302, 403)
