"""E-mail intake: a mail to a sales address becomes an inquiry, a reply becomes a note.

``intake_email(raw)`` is the one entry point for every transport (the SMTP receiver in
integrations/mail today, an IMAP poller later): it takes the mail's bytes and goes through
the same cleaning, spam rules, duplicate detection and announcement as a web form.

* Idempotent per Message-ID: the same mail delivered twice (an SMTP retry, an IMAP re-poll)
  is stored once.
* A reply to one of our answers (In-Reply-To / References naming the answer's Message-ID,
  or ``INQ-123`` in the subject from the inquiry's own customer address) is added to that
  inquiry as a note, and an answered or closed inquiry goes back to "in progress" — the
  customer is waiting again. It is never a second inquiry.
* Automatic mail (Auto-Submitted: out-of-office, bounces) is quarantined, never announced;
  an automatic reply to an answer is noted without reopening the inquiry.
* A mail that cannot become an inquiry at all (no usable sender address, no text) raises
  MailRefused, which the SMTP receiver answers with a permanent refusal, so nothing is
  accepted and then lost.
* A sender flooding the address (more than INQUIRIES_MAIL_RATE_PER_SENDER mails, new or
  replies) gets MailDeferred: the SMTP receiver answers 451 "try again later" and the
  sender's server keeps the mail and retries after the window; what was stored before stays.
  A redelivery of a mail already stored is no new mail and is never limited.
"""

import logging
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from erp.audit.actor import Actor
from erp.audit.models import Source as AuditSource
from erp.audit.services import audit_record
from erp.core.mail import Mail, MailDeferred, MailRefused, read_mail, reply_text
from erp.core.pii import mask_pii

from .. import signals
from ..conf import setting
from ..models import NUMBER_PREFIX, Answer, AnswerStatus, Inquiry, InquirySource, Note, Status
from ._common import lock
from .cleaning import email_key
from .handling import inquiry_change_status
from .intake import Visitor, clean_submission, inquiry_receive

logger = logging.getLogger(__name__)

AUTO_REPLY = "auto_reply"  # spam rule code: Auto-Submitted mail is kept, never announced
NUMBER_IN_SUBJECT = re.compile(rf"\b{NUMBER_PREFIX}(\d{{1,12}})\b", re.IGNORECASE)
REOPENED_BY_REPLY = (Status.ANSWERED, Status.CLOSED)


@dataclass
class EmailOutcome:
    inquiry: Inquiry
    note: Note | None = None  # set when the mail was a reply to an existing inquiry
    repeated: bool = False  # the same Message-ID was stored before; nothing new was written


def is_inquiry_address(address: str) -> bool:
    addresses = {a.strip().lower() for a in setting("INQUIRIES_MAIL_ADDRESSES") if a.strip()}
    return (address or "").strip().lower() in addresses


def _actor(mail: Mail) -> Actor:
    return Actor(source=AuditSource.SYSTEM, context={"via": "email", "message_id": mail.message_id})


def replied_inquiry(mail: Mail) -> Inquiry | None:
    """The inquiry this mail answers: through the thread headers, else the number in the
    subject when the sender is that inquiry's customer (anyone can type a number)."""
    ids = [i for i in [mail.in_reply_to, *mail.references] if i]
    if ids:
        answer = Answer.objects.filter(message_id__in=ids, status=AnswerStatus.SENT).select_related("inquiry").first()
        if answer is not None:
            return answer.inquiry
        earlier = Inquiry.objects.filter(source=InquirySource.EMAIL, submission_id__in=ids).first()
        if earlier is not None:
            return earlier
    number = NUMBER_IN_SUBJECT.search(mail.subject)
    if number and mail.from_address:
        return Inquiry.objects.filter(pk=int(number.group(1)), email_key=email_key(mail.from_address)).first()
    return None


@transaction.atomic
def inquiry_add_customer_reply(*, inquiry, mail: Mail) -> Note:
    """The customer's reply as a note on ``inquiry``; an answered inquiry is open again."""
    actor = _actor(mail)
    inquiry = lock(inquiry)
    body = reply_text(mail.text).replace("\x00", "") or mail.subject or _("(no text)")
    header = _("Reply by e-mail from %(sender)s: %(subject)s") % {
        "sender": mail.from_address or "?",
        "subject": mail.subject or _("(no subject)"),
    }
    note = Note.objects.create(
        inquiry=inquiry, author=None, body=f"{header}\n\n{body}"[:20_000], message_id=mail.message_id[:250]
    )
    audit_record(inquiry, "customer_replied", by=actor, note=note.pk, message_id=mail.message_id)
    signals.inquiry_noted.send(Inquiry, inquiry=inquiry, by=actor, note=note)
    if inquiry.status in REOPENED_BY_REPLY and not mail.auto_submitted:
        inquiry_change_status(
            inquiry=inquiry, status=Status.IN_PROGRESS, by=actor, reason=_("The customer replied by e-mail.")
        )
        inquiry.refresh_from_db()
    return note


def _submission_data(mail: Mail) -> dict:
    local_part = mail.from_address.partition("@")[0]
    limit = setting("INQUIRIES_MAX_MESSAGE_CHARS")
    text = mail.text.replace("\x00", "").strip()
    return {
        "name": (mail.from_name or local_part)[:100],
        "email": mail.from_address,
        "subject": mail.subject[:200],
        # A long mail is kept to the field's limit rather than refused: the sender cannot
        # see a form error, and the whole mail stays in their outbox.
        "message": (text or mail.subject)[:limit],
    }


def check_sender_rate(mail: Mail) -> None:
    """MailDeferred when the sender is over INQUIRIES_MAIL_RATE_PER_SENDER (the web form's
    fixed-window limits, in the Django cache; a cache outage lets mail through)."""
    from ..http_intake import over_limit  # the HTTP module imports the services package

    sender = email_key(mail.from_address) if mail.from_address else ""
    wait = over_limit("inquiries.mail_sender", sender, setting("INQUIRIES_MAIL_RATE_PER_SENDER"))
    if wait:
        logger.warning("Inquiry mail from %s deferred: over the sender rate limit", mask_pii(mail.from_address))
        raise MailDeferred(f"Too many messages from this sender; try again in {wait} seconds")


def intake_email(message_bytes: bytes) -> EmailOutcome:
    """Store one received mail as an inquiry or a reply note (see the module docstring)."""
    mail = read_mail(message_bytes)
    earlier = Inquiry.objects.filter(source=InquirySource.EMAIL, submission_id=mail.message_id).first()
    if earlier is not None:
        return EmailOutcome(inquiry=earlier, repeated=True)
    note = Note.objects.filter(message_id=mail.message_id).select_related("inquiry").first()
    if note is not None:
        return EmailOutcome(inquiry=note.inquiry, note=note, repeated=True)
    check_sender_rate(mail)
    replied = replied_inquiry(mail)
    if replied is not None:
        note = inquiry_add_customer_reply(inquiry=replied, mail=mail)
        return EmailOutcome(inquiry=note.inquiry, note=note)
    try:
        # English: the refusal goes into the SMTP conversation, which is ASCII.
        with translation.override("en"):
            submission = clean_submission(_submission_data(mail), site=None)
    except ValidationError as exc:
        raise MailRefused(" ".join(exc.messages)) from exc
    submission.submission_id = mail.message_id[:200]
    if mail.auto_submitted:
        submission.spam_reasons.append(AUTO_REPLY)
    inquiry = inquiry_receive(submission=submission, source=InquirySource.EMAIL, visitor=Visitor(), by=_actor(mail))
    return EmailOutcome(inquiry=inquiry)
