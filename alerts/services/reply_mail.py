"""Helpdesk reply mails: queued with the agent's comment, sent by a task, retried with back-off.

An agent's public reply on a mail ticket becomes an outgoing TicketMail (what to send, its
Message-ID for the thread) in the comment's transaction; after commit a task sends it
through Django's e-mail backend. A mail server that is down or refuses the message leaves
the mail "retrying" with the error and the next attempt time (60 s, doubling, at most six
hours apart); the beat job picks up due ones, also those whose task the broker never got.
After ALERTS_REPLY_MAX_ATTEMPTS the mail is "failed": the ticket page shows it on the
comment, the admin lists it, and "send again" there starts over.
"""

import logging
from datetime import timedelta

from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from erp.audit.actor import Actor
from erp.audit.services import audit_record

from .. import conf
from ..models import Direction, SendState, TicketMail

logger = logging.getLogger(__name__)

WAITING = (SendState.PENDING, SendState.RETRYING)
MAX_DELAY = timedelta(hours=6)


def queue_reply_mail(*, ticket, comment, message_id: str, to: str, subject: str, body: str, headers: dict):
    """Record the reply mail (inside the comment's transaction) and send it after commit."""
    mail = TicketMail.objects.create(
        ticket=ticket,
        comment=comment,
        message_id=message_id[:255],
        direction=Direction.OUTBOUND,
        address=to,
        subject=subject[:300],
        body=body,
        headers=headers,
        send_state=SendState.PENDING,
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(lambda: _queue_task(mail.pk))
    return mail


def _queue_task(pk: int) -> None:
    from ..tasks import send_reply_mail

    try:
        send_reply_mail.delay(pk)
    except Exception:  # the broker is away: the beat job sends it when it is due
        logger.warning("Reply mail %s left for the retry job: the task could not be queued", pk, exc_info=True)


def _message(mail: TicketMail) -> EmailMessage:
    headers = dict(mail.headers or {})
    sender = headers.pop("From", "")
    reply_to = headers.pop("Reply-To", sender)
    return EmailMessage(
        subject=mail.subject,
        body=mail.body,
        from_email=sender or None,
        to=[mail.address],
        reply_to=[reply_to] if reply_to else None,
        headers={"Message-ID": mail.message_id, **headers},
    )


def retry_delay(attempts: int) -> timedelta:
    seconds = conf.get("ALERTS_REPLY_RETRY_SECONDS") * 2 ** max(attempts - 1, 0)
    return min(timedelta(seconds=seconds), MAX_DELAY)


def reply_mail_send(pk: int) -> str:
    """One attempt at sending reply mail ``pk``; returns its state after it.

    The row is locked while sending (skip_locked: a second worker or the beat job passes it
    by), so a mail is never sent twice by two attempts at once.
    """
    with transaction.atomic():
        mail = TicketMail.objects.select_for_update(skip_locked=True).filter(pk=pk, send_state__in=WAITING).first()
        if mail is None:
            return "skipped"
        now = timezone.now()
        mail.attempts += 1
        try:
            _message(mail).send(fail_silently=False)
        except Exception as exc:
            mail.last_error = f"{type(exc).__name__}: {exc}"[:500]
            if mail.attempts >= conf.get("ALERTS_REPLY_MAX_ATTEMPTS"):
                mail.send_state, mail.next_attempt_at = SendState.FAILED, None
                audit_record(
                    mail,
                    "send_failed",
                    by=Actor.system(),
                    changes={"send_state": [SendState.RETRYING, SendState.FAILED]},
                )
            else:
                mail.send_state, mail.next_attempt_at = SendState.RETRYING, now + retry_delay(mail.attempts)
            logger.warning("Reply mail %s of %s not sent (attempt %d): %s", pk, mail.ticket_id, mail.attempts, exc)
        else:
            mail.send_state, mail.sent_at, mail.next_attempt_at, mail.last_error = SendState.SENT, now, None, ""
        mail.save(update_fields=["attempts", "send_state", "next_attempt_at", "last_error", "sent_at"])
        return mail.send_state


def reply_mails_due(limit: int = 100) -> int:
    """The retry job: every waiting reply mail whose time has come gets an attempt."""
    due = TicketMail.objects.filter(
        Q(next_attempt_at__lte=timezone.now()) | Q(next_attempt_at__isnull=True),
        direction=Direction.OUTBOUND,
        send_state__in=WAITING,
    ).order_by("next_attempt_at", "pk")
    return sum(reply_mail_send(pk) == SendState.SENT for pk in due.values_list("pk", flat=True)[:limit])


@transaction.atomic
def reply_mail_send_again(*, mails, by) -> int:
    """Admin: failed (or waiting) reply mails start over and are sent now."""
    count = 0
    for mail in (
        TicketMail.objects.select_for_update()
        .filter(pk__in=[m.pk for m in mails], direction=Direction.OUTBOUND)
        .exclude(send_state=SendState.SENT)
    ):
        before = mail.send_state
        mail.send_state, mail.attempts, mail.next_attempt_at = SendState.PENDING, 0, timezone.now()
        mail.save(update_fields=["send_state", "attempts", "next_attempt_at"])
        audit_record(mail, "send_again", by=by, changes={"send_state": [before, SendState.PENDING]})
        transaction.on_commit(lambda pk=mail.pk: _queue_task(pk))
        count += 1
    return count


def delivery_note(mail: TicketMail) -> str:
    """How a reply mail went, in a sentence for the ticket page."""
    if mail.send_state == SendState.SENT:
        return _("Sent by e-mail to %(address)s.") % {"address": mail.address}
    if mail.send_state == SendState.PENDING:
        return _("Waiting to be sent by e-mail to %(address)s.") % {"address": mail.address}
    if mail.send_state == SendState.RETRYING:
        return ngettext(
            "The e-mail to %(address)s could not be sent (%(count)d attempt); it will be tried again.",
            "The e-mail to %(address)s could not be sent (%(count)d attempts); it will be tried again.",
            mail.attempts,
        ) % {"address": mail.address, "count": mail.attempts}
    return _("The e-mail to %(address)s could not be sent. An administrator can send it again.") % {
        "address": mail.address
    }


def comment_mail_notes(ticket, comments) -> dict:
    """tickets' comment notes: the e-mail delivery of each reply that went out by mail."""
    ids = [comment.pk for comment in comments]
    if not ids:
        return {}
    mails = TicketMail.objects.filter(ticket=ticket, direction=Direction.OUTBOUND, comment_id__in=ids)
    return {mail.comment_id: [delivery_note(mail)] for mail in mails}
