"""Turning an inquiry into an IT ticket or service request (through the tickets services only)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from erp.audit.services import audit_record
from tickets.models import TicketSource, TicketType
from tickets.services import ticket_create

from .. import signals
from ..models import Inquiry, Status, TicketLink
from ._common import lock, require_handler


def ticket_description(inquiry: Inquiry) -> str:
    """What the ticket says: the customer's question and where it came from, no contact details
    (the ticket may be posted to IT channels; the inquiry page has them)."""
    company = inquiry.company or "-"
    return _("From customer inquiry %(number)s (%(name)s, %(company)s), category %(category)s.\n\n%(message)s") % {
        "number": inquiry.number,
        "name": inquiry.customer_name,
        "company": company,
        "category": inquiry.get_category_display(),
        "message": inquiry.message,
    }


@transaction.atomic
def inquiry_convert_to_ticket(*, inquiry, ticket_type: str = TicketType.SERVICE_REQUEST, title: str = "", by):
    """Open a ticket filed by the acting person from this inquiry and link both.

    Side effects: tickets.services.ticket_create (its own audit and signals), a TicketLink,
    "converted" in the inquiry's trail, a new inquiry moves to in progress, and
    inquiry_converted is sent. Not idempotent: each call opens another ticket.
    """
    actor = require_handler(by)
    if actor.user is None:
        raise ValidationError(_("A ticket needs a person who files it."))
    if ticket_type not in TicketType.values:
        raise ValidationError({"ticket_type": _("Choose an incident or a service request.")})
    inquiry = lock(inquiry)
    if inquiry.status == Status.SPAM:
        raise ValidationError(_("Release the inquiry from the quarantine first."))
    ticket = ticket_create(
        title=(title or "").strip() or f"[{inquiry.number}] {inquiry.subject}",
        description=ticket_description(inquiry),
        ticket_type=ticket_type,
        source=TicketSource.INQUIRY,
        by=actor,
    )
    TicketLink.objects.create(inquiry=inquiry, ticket=ticket, created_by=actor.user)
    old_status = inquiry.status
    if inquiry.status == Status.NEW:
        inquiry.status = Status.IN_PROGRESS
        inquiry.save(update_fields=["status", "updated_at"])
    changes = {"status": [old_status, inquiry.status]} if old_status != inquiry.status else {}
    audit_record(inquiry, "converted", by=actor, changes=changes, ticket=ticket.number)
    signals.inquiry_converted.send(Inquiry, inquiry=inquiry, by=actor, ticket=ticket)
    return ticket
