"""E-mail intake: a mail to the sales address becomes an inquiry through the same intake as the
web form (spam rules, duplicates, announcement); a reply to an answer becomes a note. Over real
SMTP on loopback (aiosmtpd) and through the pluggable entry point ``intake_email``."""

import smtplib
from datetime import timedelta

import pytest

from erp.core.mail import MailRefused
from inquiries.models import Answer, AnswerStatus, Inquiry, InquirySource, Note, Status
from inquiries.services import inquiry_answer, intake_email
from inquiries.services.email import AUTO_REPLY
from integrations.mail.smtp import controller
from tests.clock import WORKING_WEDNESDAY
from tests.fakes.smtp import LocalSMTP
from tests.integrations.slack.net import free_port

from .mails import QP, SALES_ADDRESS, customer_mail

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture(autouse=True)
def sales_address(settings):
    settings.INQUIRIES_MAIL_ADDRESSES = [SALES_ADDRESS]


@pytest.fixture
def smtp_server(settings):
    server = controller("127.0.0.1", free_port())
    server.start()
    yield server
    server.stop()


def send(server, raw, *, sender="sky.kim@hanbit.example", to=(SALES_ADDRESS,)):
    wire = raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    with smtplib.SMTP(server.hostname, server.port, timeout=10) as client:
        return client.sendmail(sender, list(to), wire)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "charset,encoding",
    [("utf-8", None), ("utf-8", QP), ("euc-kr", None), ("iso-2022-kr", None)],
    ids=["utf8-base64", "utf8-qp", "euc-kr", "iso-2022-kr"],
)
def test_a_mail_over_smtp_becomes_an_inquiry_in_any_korean_charset(smtp_server, charset, encoding):
    kwargs = {"charset": charset} | ({"header_encoding": encoding} if encoding else {})
    send(smtp_server, customer_mail("챗봇 도입 견적 문의", "사내 헬프데스크 챗봇 견적을 받고 싶습니다.", **kwargs))
    inquiry = Inquiry.objects.get()
    assert inquiry.source == InquirySource.EMAIL and inquiry.status == Status.NEW
    assert inquiry.subject == "챗봇 도입 견적 문의"
    assert inquiry.message == "사내 헬프데스크 챗봇 견적을 받고 싶습니다."
    assert (inquiry.customer_name, inquiry.email) == ("김하늘", "sky.kim@hanbit.example")


@pytest.mark.django_db(transaction=True)
def test_unknown_recipients_are_refused_and_an_unusable_mail_bounces(smtp_server):
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        send(smtp_server, customer_mail(), to=("nobody@haru.example",))
    # No sender address at all: nothing to answer, so refused in the conversation, not dropped.
    with pytest.raises(smtplib.SMTPDataError) as refused:
        send(smtp_server, customer_mail(sender=("", "")))
    assert refused.value.smtp_code == 550
    assert not Inquiry.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_same_mail_twice_is_one_inquiry(smtp_server):
    raw = customer_mail(message_id="<once@hanbit.example>")
    send(smtp_server, raw)
    send(smtp_server, raw)
    assert Inquiry.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_reply_to_an_answer_becomes_a_note_and_reopens_it(smtp_server, team, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.INQUIRIES_MAIL_DOMAIN = "haru.example"
    send(smtp_server, customer_mail())
    inquiry = Inquiry.objects.get()
    with LocalSMTP() as relay:
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", relay.port
        answer = inquiry_answer(
            inquiry=inquiry, subject="Re: 챗봇 도입 문의", body="견적서를 보내 드립니다.", by=team["sales"]
        )
    assert Inquiry.objects.get().status == Status.ANSWERED
    reply = customer_mail(
        "Re: 챗봇 도입 문의",
        "감사합니다. 다음 주에 미팅 가능할까요?\n\n-----원본 메시지-----\n견적서를 보내 드립니다.",
        charset="euc-kr",
        In_Reply_To=answer.message_id,
        References=answer.message_id,
    )
    send(smtp_server, reply)
    send(smtp_server, reply)  # a retried delivery adds nothing
    assert Inquiry.objects.count() == 1
    note = Note.objects.get()
    assert note.author is None and "다음 주에 미팅 가능할까요?" in note.body and "원본 메시지" not in note.body
    assert Inquiry.objects.get().status == Status.IN_PROGRESS


@pytest.mark.django_db
def test_the_number_in_the_subject_threads_only_from_the_customers_address(team):
    first = intake_email(customer_mail()).inquiry
    Answer.objects.create(inquiry=first, to_email=first.email, subject="s", body="b", status=AnswerStatus.SENT)
    Inquiry.objects.filter(pk=first.pk).update(status=Status.ANSWERED)
    own = intake_email(customer_mail(f"Re: [{first.number}] 챗봇", "추가 질문이 있습니다."))
    assert own.note is not None and own.inquiry.pk == first.pk
    stranger = intake_email(customer_mail(f"[{first.number}] 광고", "광고입니다.", sender=("", "x@spam.example")))
    assert stranger.note is None and stranger.inquiry.pk != first.pk


@pytest.mark.django_db
def test_spam_rules_and_duplicates_apply_to_mail_too():
    links = "\n".join(f"https://spam{i}.example" for i in range(6))
    held = intake_email(customer_mail("대박 이벤트", links, sender=("", "bot@spam.example"))).inquiry
    assert held.status == Status.SPAM and "links" in held.spam_reasons
    away = intake_email(customer_mail("부재중", "휴가 중입니다.", Auto_Submitted="auto-replied")).inquiry
    assert away.status == Status.SPAM and AUTO_REPLY in away.spam_reasons
    first = intake_email(customer_mail(sender=("김하늘", "lee@corp.example"))).inquiry
    again = intake_email(
        customer_mail("다시 문의", "답이 없어 다시 보냅니다.", sender=("김하늘", "LEE@corp.example"))
    ).inquiry
    assert again.duplicate_of_id == first.pk


@pytest.mark.django_db
def test_a_huge_mail_is_kept_to_the_message_limit_and_an_empty_one_refused(settings):
    settings.INQUIRIES_MAX_MESSAGE_CHARS = 5000
    inquiry = intake_email(customer_mail("긴 문의", "가" * 100_000)).inquiry
    assert len(inquiry.message) == 5000
    with pytest.raises(MailRefused):
        intake_email(customer_mail("", "", sender=("", "")))


@pytest.mark.django_db(transaction=True)
def test_a_flooding_sender_is_told_to_retry_later_and_nothing_stored_is_lost(smtp_server, settings):
    settings.INQUIRIES_MAIL_RATE_PER_SENDER = "3/h"
    for index in range(3):
        send(smtp_server, customer_mail(f"견적 문의 {index}"))
    flood = customer_mail("견적 문의 3")
    with pytest.raises(smtplib.SMTPDataError) as refused:
        send(smtp_server, flood)
    # 451: temporary, so the sender's server keeps the mail and retries; nothing bounces.
    assert refused.value.smtp_code == 451
    assert b"Too many messages from this sender" in refused.value.smtp_error
    assert Inquiry.objects.count() == 3  # the three accepted are all there
    # Another sender is not held up, and a redelivery of a stored mail is still recognised.
    send(
        smtp_server,
        customer_mail("다른 고객 문의", sender=("박서준", "seojun@client.example")),
        sender="seojun@client.example",
    )
    assert Inquiry.objects.count() == 4
    stored = Inquiry.objects.filter(email="sky.kim@hanbit.example").first()
    assert intake_email(_mail_with_id(stored.submission_id)).repeated


@pytest.mark.django_db(transaction=True)
def test_the_deferred_mail_is_taken_when_the_sender_retries_after_the_window(settings, time_machine):
    from erp.core.mail import MailDeferred

    settings.INQUIRIES_MAIL_RATE_PER_SENDER = "1/h"
    intake_email(customer_mail("첫 문의"))
    retried = customer_mail("두 번째 문의")
    with pytest.raises(MailDeferred):
        intake_email(retried)
    time_machine.move_to(WORKING_WEDNESDAY + timedelta(hours=1, seconds=1))  # it retries after the window
    assert intake_email(retried).inquiry.subject == "두 번째 문의"
    assert Inquiry.objects.count() == 2


def _mail_with_id(message_id: str) -> bytes:
    return customer_mail("재전송", message_id=message_id)
