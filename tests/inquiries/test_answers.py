"""E-mail answers through Django's SMTP backend against a local SMTP server (aiosmtpd)."""

import pytest

from inquiries.models import AnswerStatus, AnswerTemplate, Status
from inquiries.services import AnswerNotSent, inquiry_answer, render_template
from tests.fakes.smtp import LocalSMTP

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(settings):
    server = LocalSMTP().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.INQUIRIES_FROM_EMAIL = "sales@haru.example"
    yield server
    server.stop()


def test_an_answer_reaches_the_smtp_server_and_is_recorded(receive, team, smtp):
    inquiry = receive()
    answer = inquiry_answer(
        inquiry=inquiry, subject="Re: 챗봇 도입 문의", body="안녕하세요, 견적을 보내 드립니다.", by=team["sales"]
    )
    (sent,) = smtp.messages
    assert sent["to"] == ["sky.kim@hanbit.example"] and sent["from"] == "sales@haru.example"
    message = sent["message"]
    assert message["Subject"] == "Re: 챗봇 도입 문의"
    assert message.get_content().strip() == "안녕하세요, 견적을 보내 드립니다."
    assert message["Reply-To"] == "sales@haru.example" or message["Reply-To"] == team["sales"].email
    assert message["Message-ID"] == answer.message_id
    inquiry.refresh_from_db()
    assert inquiry.status == Status.ANSWERED and inquiry.answered_at is not None
    assert answer.status == AnswerStatus.SENT


def test_a_refused_answer_is_recorded_as_failed_and_reported(receive, team, smtp):
    smtp.refuse = True
    inquiry = receive()
    with pytest.raises(AnswerNotSent):
        inquiry_answer(inquiry=inquiry, subject="Re", body="본문", by=team["sales"])
    inquiry.refresh_from_db()
    assert inquiry.status == Status.NEW
    (answer,) = inquiry.answers.all()
    assert answer.status == AnswerStatus.FAILED and "550" in answer.error


def test_templates_fill_in_the_inquiry(receive, team):
    template = AnswerTemplate.objects.create(
        name="견적", subject="[{{ number }}] 견적 안내", body="{{ name }}님({{ company }}), 담당 {{ agent }}입니다."
    )
    inquiry = receive()
    subject, body = render_template(template, inquiry, team["sales"])
    assert subject == f"[{inquiry.number}] 견적 안내"
    assert body == "김하늘님((주)한빛소프트), 담당 sales입니다."


def test_answer_needs_an_address_subject_and_body(receive, team):
    from django.core.exceptions import ValidationError

    inquiry = receive(email="", phone="010-1111-2222")
    with pytest.raises(ValidationError):
        inquiry_answer(inquiry=inquiry, subject="x", body="y", by=team["sales"])
    with pytest.raises(ValidationError):
        inquiry_answer(inquiry=receive(), subject="", body="", by=team["sales"])
