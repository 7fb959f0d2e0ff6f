"""E-mail tickets: a helpdesk address opens tickets, replies become comments, and agents'
public replies go back to the requester by e-mail (Django's e-mail backend).

Threading: every mail of a conversation is remembered by its Message-ID (TicketMail); a
reply finds its ticket through In-Reply-To / References, or through ``[INC-123]`` in the
subject (what our own replies carry, and what people type). Senders are matched to people
by their e-mail address; unknown senders and automatic replies (Auto-Submitted, loops) are
kept as unparsed items, never turned into tickets.
"""

import logging
import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail.message import make_msgid
from django.db import transaction
from django.utils.translation import gettext as _

from erp.audit.actor import Actor
from erp.audit.models import Source as AuditSource
from erp.core.mail import reply_text
from tickets.models import Ticket, TicketSource
from tickets.selectors import ticket_for
from tickets.services import ticket_comment, ticket_create

from .. import conf
from ..models import Direction, ItemKind, Source, TicketMail
from ..shapes.mail import Mail
from .intake import Incoming, alerts_receive
from .mail import MailOutcome, mail_facts, raw_text, store_unparsed
from .reply_mail import queue_reply_mail

logger = logging.getLogger(__name__)

TICKET_TAG = re.compile(r"\[((?:INC|SR)-\d+)\]", re.IGNORECASE)


def _mail_actor(user, mail: Mail) -> Actor:
    return Actor(user=user, source=AuditSource.SYSTEM, context={"via": "email", "message_id": mail.message_id})


def _thread_ticket(mail: Mail, user) -> Ticket | None:
    ids = [i for i in [mail.in_reply_to, *mail.references] if i]
    if ids:
        known = TicketMail.objects.filter(message_id__in=ids).select_related("ticket").first()
        if known is not None:
            return known.ticket
    tag = TICKET_TAG.search(mail.subject)
    if tag:
        try:
            return ticket_for(user, tag.group(1).upper())
        except Ticket.DoesNotExist:
            return None
    return None


def _remember(ticket, message_id: str, direction: str, address: str) -> None:
    TicketMail.objects.get_or_create(
        message_id=message_id[:255], defaults={"ticket": ticket, "direction": direction, "address": address}
    )


@transaction.atomic
def helpdesk_receive(*, source: Source, mail: Mail, raw: bytes) -> MailOutcome:
    """A new ticket, or a comment on the ticket the mail replies to (idempotent per Message-ID)."""
    if TicketMail.objects.filter(message_id=mail.message_id).exists():
        return MailOutcome(stored=False)
    if mail.auto_submitted:
        return store_unparsed(source, mail, raw, _("Automatic reply: not turned into a ticket."))
    user = get_user_model().objects.filter(email__iexact=mail.from_address, is_active=True).first()
    if user is None or not mail.from_address:
        return store_unparsed(source, mail, raw, _("The sender has no Haru account: no ticket was opened."))
    actor = _mail_actor(user, mail)
    ticket = _thread_ticket(mail, user)
    try:
        if ticket is not None:
            ticket_comment(ticket=ticket, body=reply_text(mail.text), source=TicketSource.EMAIL, by=actor)
        else:
            ticket = ticket_create(
                title=mail.subject or _("(no subject)"),
                description=mail.text,
                requester=user,
                group=source.owner_team,
                source=TicketSource.EMAIL,
                by=actor,
            )
    except (PermissionDenied, ValidationError) as exc:
        return store_unparsed(source, mail, raw, " ".join(getattr(exc, "messages", [str(exc)])))
    _remember(ticket, mail.message_id, Direction.INBOUND, mail.from_address)
    alerts_receive(
        source=source,
        incoming=[
            Incoming(
                external_id=mail.message_id,
                kind=ItemKind.EMAIL,
                title=mail.subject,
                status="",
                severity="",
                body=mail.text,
                raw=raw_text(raw),
                facts=mail_facts(mail, ticket=ticket.number),
            )
        ],
        by=actor,
    )
    return MailOutcome(stored=True, ticket_number=ticket.number)


def _helpdesk_from() -> str:
    """ALERTS_HELPDESK_FROM, else the helpdesk mailbox's own address (replies come back to it)."""
    configured = conf.get("ALERTS_HELPDESK_FROM")
    if configured:
        return configured
    mailbox = Source.objects.filter(helpdesk=True, is_active=True).exclude(address="").order_by("pk").first()
    return mailbox.address if mailbox else settings.DEFAULT_FROM_EMAIL


def on_ticket_commented(sender, ticket=None, comment=None, by=None, **kwargs):
    """tickets.signals.ticket_commented: an agent's public reply on a mail ticket goes back by
    e-mail, sent by a task after commit and retried while the mail server fails
    (services.reply_mail). Internal notes, the requester's own comments and comments that came
    in by mail are never sent."""
    if comment is None or comment.internal or comment.source == TicketSource.EMAIL:
        return
    if comment.author_id is None or comment.author_id == ticket.requester_id or not ticket.requester.email:
        return
    thread = list(TicketMail.objects.filter(ticket=ticket).order_by("pk").values_list("message_id", flat=True))
    if not thread:
        return  # not a mail ticket: the requester follows it in the portal or Slack
    sender_address = _helpdesk_from()
    message_id = make_msgid(domain=sender_address.rpartition("@")[2] or "haru.local")
    queue_reply_mail(
        ticket=ticket,
        comment=comment,
        message_id=message_id,
        to=ticket.requester.email,
        subject=f"[{ticket.number}] {ticket.title}",
        body=comment.body,
        headers={
            "From": sender_address,
            "Reply-To": sender_address,
            "In-Reply-To": thread[-1],
            "References": " ".join(thread[-20:]),
        },
    )
