"""Turning an inquiry into an IT ticket or service request (through the tickets services only)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from erp.audit.services import audit_record
from tickets.models import Priority, TicketSource, TicketType
from tickets.services import ticket_create
from tickets.services.numbering import levels_for

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


def default_ticket_title(inquiry: Inquiry) -> str:
    """What the convert forms offer as the ticket's title."""
    return f"[{inquiry.number}] {inquiry.subject}"[:200]


@transaction.atomic
def inquiry_convert_to_ticket(
    *, inquiry, ticket_type: str = TicketType.SERVICE_REQUEST, title: str = "", priority: str = "", by
):
    """Open a ticket filed by the acting person from this inquiry and link both.

    ``title`` defaults to "[INQ-n] subject"; ``priority`` (P1–P4, default the matrix's
    medium × medium) is reached through the ticket priority matrix (impact × urgency).

    Side effects: tickets.services.ticket_create (its own audit and signals), a TicketLink,
    "converted" in the inquiry's trail, a new inquiry moves to in progress, and
    inquiry_converted is sent. Not idempotent: each call opens another ticket.
    """
    actor = require_handler(by)
    if actor.user is None:
        raise ValidationError(_("A ticket needs a person who files it."))
    if ticket_type not in TicketType.values:
        raise ValidationError({"ticket_type": _("Choose an incident or a service request.")})
    if priority and priority not in Priority.values:
        raise ValidationError({"priority": _("Choose a priority from P1 to P4.")})
    title = " ".join((title or "").split())
    if len(title) > 200:
        raise ValidationError({"title": _("Keep the title under 200 characters.")})
    impact, urgency = levels_for(priority or Priority.P3)
    inquiry = lock(inquiry)
    if inquiry.status == Status.SPAM:
        raise ValidationError(_("Release the inquiry from the quarantine first."))
    ticket = ticket_create(
        title=title or default_ticket_title(inquiry),
        description=ticket_description(inquiry),
        ticket_type=ticket_type,
        impact=impact,
        urgency=urgency,
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
