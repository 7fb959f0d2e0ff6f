"""Helpdesk replies whose mail fails are retried with back-off by a task; the agent sees how
each reply mail went on the ticket, the admin lists them and can send a failed one again.
Against a local SMTP server (aiosmtpd) that refuses, then accepts; and one that is down."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from alerts.models import SendState, Source, SourceKind, TicketMail
from alerts.services.helpdesk import helpdesk_receive
from alerts.services.reply_mail import reply_mails_due
from alerts.shapes.mail import read_mail
from alerts.tasks import retry_reply_mails
from tests.fakes.smtp import LocalSMTP
from tests.integrations.slack.net import free_port
from tickets.services import ticket_comment

from . import mails

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def relay(settings):
    with LocalSMTP() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", server.port, 5
        settings.ALERTS_REPLY_RETRY_SECONDS = 60
        settings.ALERTS_REPLY_MAX_ATTEMPTS = 3
        yield server


@pytest.fixture
def mail_ticket(team, django_capture_on_commit_callbacks):
    helpdesk = Source.objects.create(
        name="Helpdesk", kind=SourceKind.MAILBOX, address="help@haru.example", helpdesk=True, owner_team=team["infra"]
    )
    raw = mails.plain("메일이 안 옵니다", "본문", sender=team["member"].email, to="help@haru.example")
    number = helpdesk_receive(source=helpdesk, mail=read_mail(raw), raw=raw).ticket_number
    from tickets.models import Ticket

    return Ticket.objects.get(number=number)


def reply(ticket, agent, captured):
    with captured(execute=True):
        ticket_comment(ticket=ticket, body="확인해 보겠습니다.", by=agent)
    return TicketMail.objects.get(direction="out")


def test_a_refused_reply_is_retried_with_back_off_and_then_sent(
    relay, mail_ticket, team, client, django_capture_on_commit_callbacks
):
    relay.refuse = True
    mail = reply(mail_ticket, team["agent"], django_capture_on_commit_callbacks)
    assert mail.send_state == SendState.PENDING  # queued with the comment; the task sends it
    assert retry_reply_mails() == 0
    mail.refresh_from_db()
    assert (mail.send_state, mail.attempts) == (SendState.RETRYING, 1) and "550" in mail.last_error
    assert mail.next_attempt_at == pytest.approx(timezone.now() + timedelta(seconds=60), abs=timedelta(seconds=5))
    assert reply_mails_due() == 0  # not due yet: nothing is tried

    client.force_login(team["agent"])
    page = client.get(f"/tickets/{mail_ticket.number}/").content.decode()
    assert "could not be sent (1 attempt); it will be tried again" in page

    relay.refuse = False
    with time_machine.travel(timezone.now() + timedelta(seconds=61), tick=False):
        assert reply_mails_due() == 1
    mail.refresh_from_db()
    assert mail.send_state == SendState.SENT and mail.last_error == ""
    [sent] = relay.received()
    assert sent["Subject"] == f"[{mail_ticket.number}] 메일이 안 옵니다" and sent["Message-ID"] == mail.message_id
    assert "Sent by e-mail" in client.get(f"/tickets/{mail_ticket.number}/").content.decode()


def test_a_mail_server_that_stays_down_fails_the_mail_after_the_last_attempt(
    relay, mail_ticket, team, client, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_PORT = free_port()  # nobody listens there
    mail = reply(mail_ticket, team["agent"], django_capture_on_commit_callbacks)
    moment = timezone.now()
    delays = []
    for _ in range(3):
        with time_machine.travel(moment, tick=False):
            reply_mails_due()
        mail.refresh_from_db()
        if mail.next_attempt_at:
            delays.append((mail.next_attempt_at - moment).total_seconds())
            moment = mail.next_attempt_at + timedelta(seconds=1)
    assert delays == [60, 120]  # doubling
    assert (mail.send_state, mail.attempts) == (SendState.FAILED, 3) and "Connection" in mail.last_error
    client.force_login(team["agent"])
    assert (
        "could not be sent. An administrator can send it again"
        in client.get(f"/tickets/{mail_ticket.number}/").content.decode()
    )

    # The admin lists it and sends it again once the server is back.
    admin = team["agent"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    assert "Sending failed" in client.get("/admin/alerts/ticketmail/?send_state=failed").content.decode()
    settings.EMAIL_PORT = relay.port
    with django_capture_on_commit_callbacks(execute=False):
        client.post("/admin/alerts/ticketmail/", {"action": "send_again", "_selected_action": [mail.pk]})
    mail.refresh_from_db()
    assert (mail.send_state, mail.attempts) == (SendState.PENDING, 0)
    assert reply_mails_due() == 1 and len(relay.received()) == 1


def test_internal_notes_and_portal_tickets_send_no_mail(relay, mail_ticket, team, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ticket_comment(ticket=mail_ticket, body="내부 메모", internal=True, by=team["agent"])
    assert not TicketMail.objects.filter(direction="out").exists()
