"""Mail intake: an alert mailbox folds mails into groups; a helpdesk mailbox makes tickets.

The receivers (integrations/mail: SMTP, IMAP) hand over the raw bytes; everything else
(MIME, shapes, grouping, tickets) happens here, the same for every transport.
"""

import logging
from dataclasses import dataclass

from django.utils.translation import gettext as _

from erp.audit.actor import Actor

from ..models import ItemKind, Source
from ..shapes.mail import Mail, alert_from_mail, read_mail
from . import storm
from .intake import FIRING, RESOLVED, Incoming, alerts_receive

logger = logging.getLogger(__name__)


@dataclass
class MailOutcome:
    stored: bool
    group_id: int | None = None
    ticket_number: str = ""
    unparsed_reason: str = ""


def sender_allowed(source: Source, address: str) -> bool:
    """The mailbox's allowed senders: addresses or ``@domain`` lines; none configured = anyone."""
    rules = [line.strip().lower() for line in (source.allowed_senders or "").splitlines() if line.strip()]
    if not rules:
        return True
    address = (address or "").strip().lower()
    domain = "@" + address.rpartition("@")[2]
    return any(rule == address or (rule.startswith("@") and rule == domain) for rule in rules)


def mailbox_for(address: str) -> Source | None:
    from ..models import SourceKind

    return Source.objects.filter(
        kind=SourceKind.MAILBOX, is_active=True, address__iexact=(address or "").strip()
    ).first()


def mail_facts(mail: Mail, **extra) -> dict:
    return {
        "from": mail.from_address,
        "to": mail.to[:20],
        "subject": mail.subject,
        "message_id": mail.message_id,
        "html_only": mail.html,
        "attachments": [{"name": a.filename, "type": a.content_type, "size": a.size} for a in mail.attachments[:50]],
        **extra,
    }


def raw_text(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")


def store_unparsed(source: Source, mail: Mail, raw: bytes, reason: str) -> MailOutcome:
    """Keep a mail that could not be used, with why, so an agent can look at it."""
    alerts_receive(
        source=source,
        incoming=[
            Incoming(
                external_id=mail.message_id,
                kind=ItemKind.UNPARSED,
                title=mail.subject or _("(no subject)"),
                status="",
                severity="",
                body=mail.text,
                raw=raw_text(raw),
                facts=mail_facts(mail),
                error=reason,
            )
        ],
        by=Actor.system(source=source.name),
    )
    return MailOutcome(stored=True, unparsed_reason=reason)


def mail_receive(*, source: Source, raw: bytes) -> MailOutcome:
    """Store one received mail (idempotent per Message-ID). Never raises for bad mail:
    what cannot be read is kept as an unparsed item."""
    try:
        mail = read_mail(raw)
    except Exception as exc:  # the email package is lenient; this is a last resort
        logger.warning("Unreadable mail for %s: %s", source.name, exc)
        mail = Mail(message_id="", subject="", from_address="", from_name="", to=[], text="")
        import hashlib

        mail.message_id = "<" + hashlib.sha256(raw).hexdigest()[:40] + "@haru.unreadable>"
        return store_unparsed(source, mail, raw, _("The mail could not be read: %(error)s") % {"error": exc})
    arrival = storm.mail_arrived(source, mail.from_address)
    if source.helpdesk:
        from .helpdesk import helpdesk_receive

        if arrival.storm:  # a mail bomb must not open thousands of tickets
            return store_unparsed(source, mail, raw, _("Too many mails from this sender: no ticket was opened."))
        return helpdesk_receive(source=source, mail=mail, raw=raw)
    alert = alert_from_mail(mail)
    overflow_key = overflow_title = ""
    if arrival.storm:
        # A new group in a storm would be a new Slack message: the sender's overflow group counts it.
        overflow_key = storm.overflow_key(mail.from_address)
        overflow_title = _("Mail storm from %(sender)s") % {"sender": mail.from_address or _("(unknown sender)")}
    result = alerts_receive(
        source=source,
        incoming=[
            Incoming(
                external_id=mail.message_id,
                key=alert.key,
                kind=ItemKind.EMAIL,
                title=alert.title,
                overflow_key=overflow_key,
                overflow_title=overflow_title,
                status=RESOLVED if alert.resolved else FIRING,
                severity=alert.severity,
                body=mail.text,
                url=alert.url,
                occurred_at=mail.date,
                raw=raw_text(raw),
                facts=mail_facts(mail, shape=alert.kind),
            )
        ],
        by=Actor.system(source=source.name),
        quiet=arrival.storm,
    )
    group_ids = sorted(result.groups)
    return MailOutcome(stored=bool(result.stored), group_id=group_ids[0] if group_ids else None)
