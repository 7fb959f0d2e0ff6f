"""Answering the customer by e-mail from the portal (Django's e-mail backend, SMTP from env)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.mail.message import make_msgid
from django.db import transaction
from django.template import Context, Engine
from django.template.exceptions import TemplateSyntaxError
from django.utils import timezone
from django.utils.translation import gettext as _

from erp.audit.services import audit_record
from erp.core.errors import DomainError
from erp.core.pii import mask_pii
from erp.people.names import display_name

from .. import signals
from ..models import Answer, AnswerStatus, AnswerTemplate, Inquiry, Status
from ._common import lock, require_handler

# Templates are text, not HTML: no autoescaping (an "&" in a company name stays "&").
_ENGINE = Engine(autoescape=False)


class AnswerNotSent(DomainError):
    code = "answer_not_sent"
    http_status = 502


def render_template(template: AnswerTemplate, inquiry: Inquiry, agent=None) -> tuple[str, str]:
    """The template's subject and body with the inquiry's values filled in."""
    values = Context(
        {
            "name": inquiry.customer_name,
            "company": inquiry.company,
            "number": inquiry.number,
            "subject": inquiry.subject,
            "agent": display_name(agent) if agent is not None else "",
        }
    )
    try:
        return _ENGINE.from_string(template.subject).render(values), _ENGINE.from_string(template.body).render(values)
    except TemplateSyntaxError as exc:
        raise ValidationError({"template": _("The template cannot be filled in: %(error)s") % {"error": exc}})


def validate_template(template: AnswerTemplate) -> None:
    for field in ("subject", "body"):
        try:
            _ENGINE.from_string(getattr(template, field))
        except TemplateSyntaxError as exc:
            raise ValidationError({field: _("The template cannot be filled in: %(error)s") % {"error": exc}})


def _from_address() -> str:
    return getattr(settings, "INQUIRIES_FROM_EMAIL", "") or settings.DEFAULT_FROM_EMAIL


def inquiry_answer(*, inquiry, subject: str, body: str, template: AnswerTemplate | None = None, by) -> Answer:
    """Send ``body`` to the customer and record it; the inquiry becomes answered.

    The mail is handed to the mail server first, outside any transaction (no row lock is
    held while SMTP talks). Then one transaction records the Answer, "answered" in the
    trail, the status and inquiry_answered. When the server refuses, the failed Answer is
    recorded (so the attempt is visible) and AnswerNotSent is raised. Not idempotent:
    each call sends a mail.
    """
    actor = require_handler(by)
    subject, body = " ".join((subject or "").split()), (body or "").strip()
    if not inquiry.email:
        raise ValidationError(_("This inquiry has no e-mail address to answer."))
    errors = {}
    if not subject:
        errors["subject"] = _("Enter a subject.")
    elif len(subject) > 200:
        errors["subject"] = _("Keep this field under %(limit)d characters.") % {"limit": 200}
    if not body:
        errors["body"] = _("Write the answer.")
    if errors:
        raise ValidationError(errors)
    message_id = make_msgid(domain=getattr(settings, "INQUIRIES_MAIL_DOMAIN", "") or None)
    reply_to = [actor.user.email] if actor.user is not None and actor.user.email else []
    mail = EmailMessage(
        subject, body, _from_address(), [inquiry.email], reply_to=reply_to, headers={"Message-ID": message_id}
    )
    error = ""
    try:
        mail.send(fail_silently=False)
    except Exception as exc:  # SMTP refusals, timeouts, DNS: all mean "not sent"
        error = mask_pii(f"{type(exc).__name__}: {exc}")[:500]
    answer = _record(inquiry, actor, template, subject, body, message_id, error)
    if error:
        raise AnswerNotSent(_("The mail server did not accept the answer; nothing was sent. Please try again later."))
    return answer


@transaction.atomic
def _record(inquiry, actor, template, subject, body, message_id, error) -> Answer:
    inquiry = lock(inquiry)
    answer = Answer.objects.create(
        inquiry=inquiry,
        sent_by=actor.user,
        template=template,
        to_email=inquiry.email,
        subject=subject,
        body=body,
        status=AnswerStatus.FAILED if error else AnswerStatus.SENT,
        error=error,
        message_id="" if error else message_id,
    )
    if error:
        audit_record(inquiry, "answer_failed", by=actor, answer=answer.pk, error=error)
        return answer
    old = inquiry.status
    if old in (Status.NEW, Status.IN_PROGRESS, Status.DUPLICATE):
        inquiry.status = Status.ANSWERED
    inquiry.answered_at = inquiry.answered_at or timezone.now()
    inquiry.save(update_fields=["status", "answered_at", "updated_at"])
    changes = {"status": [old, inquiry.status]} if old != inquiry.status else {}
    audit_record(inquiry, "answered", by=actor, changes=changes, answer=answer.pk)
    signals.inquiry_answered.send(Inquiry, inquiry=inquiry, by=actor, answer=answer)
    return answer
