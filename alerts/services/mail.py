"""Mail intake: an alert mailbox folds mails into groups; a helpdesk mailbox makes tickets.

The receivers (integrations/mail: SMTP, IMAP) hand over the raw bytes; everything else
(MIME, shapes, grouping, tickets) happens here, the same for every transport.
"""

import hashlib
import logging
from dataclasses import dataclass

from django.db import transaction
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
    return mails_receive(source=source, raws=[raw])[0]


def mails_receive(*, source: Source, raws: list[bytes]) -> list[MailOutcome]:
    """Store received mails, one outcome each, in order (an IMAP poll's batch, a storm).

    The alert mails of the batch are counted against the storm limits in one statement and
    stored in one alerts_receive call (one transaction; one read and one write per group),
    so a batch of a hundred mails costs a few statements more than one mail does.
    """
    outcomes: list[MailOutcome | None] = [None] * len(raws)
    readable = []
    for index, raw in enumerate(raws):
        try:
            readable.append((index, raw, read_mail(raw)))
        except Exception as exc:  # the email package is lenient; this is a last resort
            outcomes[index] = _unreadable(source, raw, exc)
    # One transaction for the storm counts and what the mails become: a mail that fails to
    # store (the SMTP sender retries on 451, the next IMAP poll fetches it again) is not
    # counted twice, and a mail costs one commit, not two. Parsing stays outside it.
    with transaction.atomic():
        _store_read(source, readable, outcomes)
    return outcomes


def _store_read(source: Source, readable: list, outcomes: list) -> None:
    arrivals = storm.mails_arrived(source, [mail.from_address for _index, _raw, mail in readable])
    alerts = []
    for (index, raw, mail), arrival in zip(readable, arrivals, strict=True):
        if not source.helpdesk:
            alerts.append((index, _alert(mail, raw, in_storm=arrival.storm)))
            continue
        from .helpdesk import helpdesk_receive

        if arrival.storm:  # a mail bomb must not open thousands of tickets
            reason = _("Too many mails from this sender: no ticket was opened.")
            outcomes[index] = store_unparsed(source, mail, raw, reason)
        else:
            outcomes[index] = helpdesk_receive(source=source, mail=mail, raw=raw)
    if alerts:
        result = alerts_receive(
            source=source, incoming=[incoming for _index, incoming in alerts], by=Actor.system(source=source.name)
        )
        stored = {item.external_id: item for item in result.stored}
        for index, incoming in alerts:
            item = stored.pop(incoming.external_id, None)  # a repeated Message-ID: stored once
            outcomes[index] = MailOutcome(stored=item is not None, group_id=item.group_id if item else None)


def _unreadable(source: Source, raw: bytes, exc: Exception) -> MailOutcome:
    logger.warning("Unreadable mail for %s: %s", source.name, exc)
    mail = Mail(message_id="", subject="", from_address="", from_name="", to=[], text="")
    mail.message_id = "<" + hashlib.sha256(raw).hexdigest()[:40] + "@haru.unreadable>"
    return store_unparsed(source, mail, raw, _("The mail could not be read: %(error)s") % {"error": exc})


def _alert(mail: Mail, raw: bytes, *, in_storm: bool) -> Incoming:
    alert = alert_from_mail(mail)
    overflow_key = overflow_title = ""
    if in_storm:
        # A new group in a storm would be a new Slack message: the sender's overflow group counts it.
        overflow_key = storm.overflow_key(mail.from_address)
        overflow_title = _("Mail storm from %(sender)s") % {"sender": mail.from_address or _("(unknown sender)")}
    return Incoming(
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
        quiet=in_storm,  # in a storm the storm job shows what arrived, once a minute
    )
