"""Mail over real SMTP on loopback: alert mailboxes group mails, a recovery resolves, refusals
happen in the SMTP conversation; the helpdesk round trip (ticket, reply → comment, agent's
reply → mail back to the requester through Django's SMTP backend)."""

import smtplib

import pytest

from alerts.models import AlertGroup, GroupState, Item, ItemKind, Source, SourceKind, TicketMail
from alerts.services.reply_mail import reply_mails_due
from integrations.mail.smtp import controller
from tests.fakes.smtp import LocalSMTP
from tests.integrations.slack.net import free_port
from tickets.models import Comment, Ticket, TicketSource
from tickets.services import ticket_comment

from . import mails

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("english")]


@pytest.fixture
def smtp_server(settings):
    settings.ALERTS_MAIL_MAX_BYTES = 200_000
    server = controller("127.0.0.1", free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def alert_mailbox(team):
    return Source.objects.create(
        name="GCP mail",
        kind=SourceKind.MAILBOX,
        address="alerts@haru.example",
        allowed_senders="alerting-noreply@google.com\n@haru.example",
        owner_team=team["infra"],
    )


@pytest.fixture
def helpdesk(team):
    return Source.objects.create(
        name="Helpdesk", kind=SourceKind.MAILBOX, address="help@haru.example", helpdesk=True, owner_team=team["infra"]
    )


def send(server, raw, *, sender="alerting-noreply@google.com", to=("alerts@haru.example",)):
    # On the wire lines end in CRLF; smtplib leaves a bytes message as it is.
    wire = raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    with smtplib.SMTP(server.hostname, server.port, timeout=10) as client:
        return client.sendmail(sender, list(to), wire)


def test_alert_mails_group_and_the_recovery_resolves(smtp_server, alert_mailbox):
    for _ in range(3):
        send(smtp_server, mails.plain("[ALERT - Critical] VM CPU 90% on haru-web-1", mails.GCP_BODY))
    send(smtp_server, mails.plain("[RESOLVED - Critical] VM CPU 90% on haru-web-1", mails.GCP_BODY))
    group = AlertGroup.objects.get()
    assert (group.key, group.count, group.state, group.severity) == (
        "gcp:0.nq4b8x2l1k9s",
        4,
        GroupState.RESOLVED,
        "critical",
    )
    assert Item.objects.filter(kind=ItemKind.EMAIL).count() == 4


def test_django_error_mails_in_euc_kr_group_by_path(smtp_server, alert_mailbox):
    subject = "[Django] ERROR (EXTERNAL IP): Internal Server Error: /tickets/42/"
    for _ in range(2):
        raw = mails.plain(subject, mails.DJANGO_BODY + "사용자: 이서연\n", sender="root@haru.example", charset="euc-kr")
        send(smtp_server, raw, sender="root@haru.example")
    group = AlertGroup.objects.get()
    assert (group.key, group.count) == ("django:/tickets/42/:ValueError", 2)
    assert "이서연" in group.items.first().body


def test_the_same_mail_twice_is_stored_once(smtp_server, alert_mailbox):
    raw = mails.plain("[FIRING:1] DiskFull (web1)", "…", message_id="<same@sender.example>")
    send(smtp_server, raw)
    send(smtp_server, raw)
    assert Item.objects.count() == 1


def test_refusals_in_the_conversation(smtp_server, alert_mailbox):
    with pytest.raises(smtplib.SMTPRecipientsRefused) as unknown:
        send(smtp_server, mails.plain("x", "y"), to=("nobody@haru.example",))
    assert unknown.value.recipients["nobody@haru.example"][0] == 550
    with pytest.raises(smtplib.SMTPRecipientsRefused) as stranger:
        send(smtp_server, mails.plain("x", "y", sender="spam@evil.example"), sender="spam@evil.example")
    assert stranger.value.recipients["alerts@haru.example"][0] == 550
    with pytest.raises(smtplib.SMTPException) as too_big:
        send(
            smtp_server,
            mails.with_attachment("로그", "본문", size=300_000, sender="ops@haru.example"),
            sender="ops@haru.example",
        )
    assert "552" in str(too_big.value) or getattr(too_big.value, "smtp_code", 0) == 552
    assert Item.objects.count() == 0


def test_html_only_mail_with_attachment_is_kept(smtp_server, alert_mailbox):
    send(smtp_server, mails.html_only("[FIRING:1] Backup", "<p>백업 <b>실패</b></p>"))
    send(
        smtp_server,
        mails.with_attachment("[FIRING:1] Backup", "첨부 확인", sender="ops@haru.example"),
        sender="ops@haru.example",
    )
    items = list(Item.objects.order_by("pk"))
    assert items[0].body == "백업 실패" and items[0].facts["html_only"]
    assert items[1].facts["attachments"][0]["name"] == "로그.txt"
    assert AlertGroup.objects.get().count == 2


def test_helpdesk_round_trip(smtp_server, helpdesk, team, settings):
    requester = team["member"]
    with LocalSMTP() as relay:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", relay.port
        first = mails.plain(
            "VPN이 안 됩니다",
            "어제부터 VPN 접속이 끊깁니다.",
            sender=requester.email,
            to="help@haru.example",
            message_id="<q1@mail.haru.example>",
        )
        send(smtp_server, first, sender=requester.email, to=("help@haru.example",))
        ticket = Ticket.objects.get()
        assert (ticket.requester, ticket.source, ticket.group) == (requester, TicketSource.EMAIL, team["infra"])

        ticket_comment(ticket=ticket, body="재부팅 후 다시 시도해 주세요.", by=team["agent"])
        assert reply_mails_due() == 1  # the task the comment queued, as the worker runs it
        [reply] = relay.received()
        assert reply["To"] == requester.email and reply["Subject"] == f"[{ticket.number}] VPN이 안 됩니다"
        assert reply["In-Reply-To"] == "<q1@mail.haru.example>"
        assert "재부팅" in reply.get_content()

        answer = mails.plain(
            f"Re: [{ticket.number}] VPN이 안 됩니다",
            "재부팅하니 됩니다. 감사합니다.\n\n> 재부팅 후 다시 시도해 주세요.",
            sender=requester.email,
            to="help@haru.example",
            In_Reply_To=reply["Message-ID"],
            References=reply["Message-ID"],
        )
        send(smtp_server, answer, sender=requester.email, to=("help@haru.example",))
    comments = list(Comment.objects.filter(ticket=ticket).order_by("pk").values_list("body", "source"))
    assert comments[-1] == ("재부팅하니 됩니다. 감사합니다.", TicketSource.EMAIL)
    assert TicketMail.objects.filter(ticket=ticket).count() == 3
    assert len(relay.received()) == 1  # the requester's own mail is not mailed back


def test_helpdesk_subject_tag_and_unknown_senders(smtp_server, helpdesk, team):
    requester = team["member"]
    send(
        smtp_server,
        mails.plain("프린터 고장", "3층 프린터", sender=requester.email, to="help@haru.example"),
        sender=requester.email,
        to=("help@haru.example",),
    )
    ticket = Ticket.objects.get()
    send(
        smtp_server,
        mails.plain(f"추가 정보 [{ticket.number}]", "모델은 HP입니다", sender=requester.email, to="help@haru.example"),
        sender=requester.email,
        to=("help@haru.example",),
    )
    assert Comment.objects.get(ticket=ticket).body == "모델은 HP입니다"
    send(
        smtp_server,
        mails.plain("도와주세요", "외부인", sender="someone@outside.example", to="help@haru.example"),
        sender="someone@outside.example",
        to=("help@haru.example",),
    )
    assert Ticket.objects.count() == 1
    kept = Item.objects.get(kind=ItemKind.UNPARSED)
    assert "Haru account" in kept.error or "계정" in kept.error
