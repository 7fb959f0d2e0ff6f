"""Inquiry services: intake, duplicates, the pipeline, edits, notes, sharing, audit and signals."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from erp.audit.models import AuditEvent
from inquiries import signals
from inquiries.models import Inquiry, Status
from inquiries.services import (
    clean_submission,
    inquiry_add_note,
    inquiry_assign,
    inquiry_change_status,
    inquiry_mark_spam,
    inquiry_release,
    inquiry_share,
    inquiry_update,
)

from .conftest import VALID

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def actions(inquiry):
    return list(
        AuditEvent.objects.filter(object_id=str(inquiry.pk), content_type__model="inquiry")
        .order_by("created_at", "id")
        .values_list("action", flat=True)
    )


class Recorder:
    def __init__(self, signal):
        self.calls = []
        signal.connect(self, dispatch_uid=f"test-{id(self)}")
        self.signal = signal

    def __call__(self, sender, **kwargs):
        self.calls.append(kwargs)


@pytest.fixture
def recorded():
    recorders = []

    def record(signal):
        recorder = Recorder(signal)
        recorders.append(recorder)
        return recorder

    yield record
    for recorder in recorders:
        recorder.signal.disconnect(dispatch_uid=f"test-{id(recorder)}")


def test_receive_stores_every_field_audits_and_signals(receive, recorded):
    received = recorded(signals.inquiry_received)
    inquiry = receive(utm_source="naver", utm_campaign="winter", referrer="https://search.naver.com/x")
    inquiry.refresh_from_db()
    assert inquiry.number == f"INQ-{inquiry.pk}"
    assert inquiry.status == Status.NEW and inquiry.customer_name == "김하늘" and inquiry.consent_contact
    assert inquiry.email_key == "sky.kim@hanbit.example" and inquiry.phone_key == "01023456789"
    assert inquiry.utm_source == "naver" and inquiry.referrer == "https://search.naver.com/x"
    assert inquiry.ip_address == "203.0.113.7"
    assert actions(inquiry) == ["received"]
    assert [call["inquiry"].pk for call in received.calls] == [inquiry.pk]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": ""}, "name"),
        ({"message": "   "}, "message"),
        ({"email": "", "phone": ""}, "email"),
        ({"email": "not-an-email"}, "email"),
        ({"phone": "call me"}, "phone"),
        ({"phone": "123"}, "phone"),
        ({"message": "x" * 5001}, "message"),
        ({"subject": "bad\x00subject"}, "subject"),
        ({"message": "bell\x07"}, "message"),
        ({"name": ["김하늘"]}, "name"),
        ({"name": {"first": "하늘"}}, "name"),
        ({"consent": "maybe"}, "consent"),
        ({"category": "nonsense"}, "category"),
    ],
)
def test_bad_submissions_name_the_field(site, overrides, field):
    with pytest.raises(ValidationError) as caught:
        clean_submission({**VALID, **overrides}, site=site)
    assert field in caught.value.message_dict


def test_subject_defaults_to_the_first_line_and_korean_category_labels_work(site):
    submission = clean_submission(
        {**VALID, "subject": "", "message": "첫 줄입니다\n둘째 줄", "category": "견적 요청"}, site=site
    )
    assert submission.fields["subject"] == "첫 줄입니다"
    assert submission.fields["category"] == "quote"


def test_spam_rules_quarantine_and_keep_the_inquiry(receive, recorded):
    quarantined = recorded(signals.inquiry_quarantined)
    received = recorded(signals.inquiry_received)
    honeypot = receive(website="http://spam.example")
    too_fast = receive(started_at=timezone.now().timestamp() * 1000 - 500, email="other@x.example", phone="")
    links = receive(message="buy http://a.example http://b.example www.c.example http://d.example", phone="")
    assert honeypot.spam_reasons == ["honeypot"] and honeypot.status == Status.SPAM
    assert too_fast.spam_reasons == ["too_fast"]
    assert links.spam_reasons == ["links"]
    assert not received.calls and len(quarantined.calls) == 3
    assert actions(honeypot) == ["quarantined"]
    slow = receive(started_at=(timezone.now() - timedelta(seconds=30)).timestamp(), email="slow@x.example", phone="")
    assert slow.status == Status.NEW


def test_same_email_or_phone_inside_the_window_links_to_the_first(receive, settings):
    settings.INQUIRIES_DUPLICATE_WINDOW_HOURS = 24
    first = receive()
    by_email = receive(phone="", subject="다시 문의")
    by_phone = receive(email="", phone="+82 10-2345-6789")
    other = receive(email="new@x.example", phone="010-9999-0000")
    assert by_email.duplicate_of_id == first.pk
    assert by_phone.duplicate_of_id == first.pk  # the chain's first, not the one before
    assert other.duplicate_of_id is None


def test_a_repeat_after_the_window_is_not_linked(receive, settings):
    settings.INQUIRIES_DUPLICATE_WINDOW_HOURS = 24
    first = receive()
    with time_machine.travel(timezone.now() + timedelta(hours=25), tick=False):
        later = receive()
    assert first.pk and later.duplicate_of_id is None


def test_spam_is_never_a_duplicate_target(receive):
    spam = receive(website="x")
    real = receive()
    assert spam.status == Status.SPAM and real.duplicate_of_id is None


def test_assign_moves_new_to_in_progress_and_is_idempotent(receive, team, recorded):
    assigned = recorded(signals.inquiry_assigned)
    inquiry = receive()
    inquiry = inquiry_assign(inquiry=inquiry, assignee=team["sales"], by=team["sales"])
    inquiry_assign(inquiry=inquiry, assignee=team["sales"], by=team["sales"])
    assert inquiry.status == Status.IN_PROGRESS and inquiry.assignee == team["sales"]
    assert len(assigned.calls) == 1
    assert actions(inquiry) == ["received", "assigned"]


def test_only_sales_may_handle_and_be_assigned(receive, team):
    inquiry = receive()
    for outsider in (team["marketer"], team["developer"]):
        with pytest.raises(PermissionDenied):
            inquiry_assign(inquiry=inquiry, assignee=outsider, by=outsider)
    with pytest.raises(ValidationError):
        inquiry_assign(inquiry=inquiry, assignee=team["developer"], by=team["sales"])
    inquiry_assign(inquiry=inquiry, assignee=team["sales2"], by=team["admin"])


def test_status_pipeline_quarantine_and_release(receive, team, recorded):
    released = recorded(signals.inquiry_released)
    inquiry = receive()
    inquiry = inquiry_change_status(inquiry=inquiry, status=Status.ANSWERED, by=team["sales"])
    assert inquiry.answered_at is not None
    inquiry = inquiry_mark_spam(inquiry=inquiry, by=team["sales"])
    assert inquiry.status == Status.SPAM
    inquiry = inquiry_release(inquiry=inquiry, by=team["sales"])
    assert inquiry.status == Status.NEW and len(released.calls) == 1
    with pytest.raises(ValidationError):
        inquiry_change_status(inquiry=inquiry, status="bogus", by=team["sales"])
    assert Inquiry.objects.filter(pk=inquiry.pk).exists()


def test_update_validates_like_intake_and_records_changes(receive, team, recorded):
    updated = recorded(signals.inquiry_updated)
    inquiry = receive()
    inquiry = inquiry_update(
        inquiry=inquiry, changes={"company": "한빛소프트", "tags": "견적, 대기업 ,견적", "phone": ""}, by=team["sales"]
    )
    assert inquiry.tags == ",견적,대기업," and inquiry.phone_key == ""
    assert updated.calls[0]["changes"]["company"] == ["(주)한빛소프트", "한빛소프트"]
    with pytest.raises(ValidationError) as caught:
        inquiry_update(inquiry=inquiry, changes={"email": "nope"}, by=team["sales"])
    assert "email" in caught.value.message_dict
    with pytest.raises(ValidationError):
        inquiry_update(inquiry=inquiry, changes={"email": ""}, by=team["sales"])  # no way left to answer
    with pytest.raises(ValidationError):
        inquiry_update(inquiry=inquiry, changes={"ip_address": "1.2.3.4"}, by=team["sales"])
    inquiry_update(inquiry=inquiry, changes={"company": "한빛소프트"}, by=team["sales"])
    assert len(updated.calls) == 1  # nothing changed the second time


def test_notes_and_sharing(receive, team, recorded):
    shared = recorded(signals.inquiry_shared)
    inquiry = receive()
    note = inquiry_add_note(inquiry=inquiry, body="월요일에 전화 드리기로 함", by=team["sales"])
    assert note.author == team["sales"]
    with pytest.raises(ValidationError):
        inquiry_add_note(inquiry=inquiry, body="  ", by=team["sales"])
    with pytest.raises(PermissionDenied):
        inquiry_add_note(inquiry=inquiry, body="hi", by=team["marketer"])
    inquiry = inquiry_share(inquiry=inquiry, by=team["sales"])
    inquiry_share(inquiry=inquiry, by=team["sales"])
    assert inquiry.shared_with_marketing and len(shared.calls) == 1
    assert actions(inquiry) == ["received", "noted", "shared"]
    spam = receive(website="x")
    with pytest.raises(ValidationError):
        inquiry_share(inquiry=spam, by=team["sales"])
