"""Converting an inquiry into a ticket goes through the tickets services and links both."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from erp.audit.models import AuditEvent
from inquiries.models import Status
from inquiries.services import inquiry_convert_to_ticket
from tickets.models import Ticket, TicketSource, TicketType

pytestmark = pytest.mark.django_db


def test_convert_opens_a_linked_ticket_without_contact_details(receive, team):
    inquiry = receive()
    ticket = inquiry_convert_to_ticket(inquiry=inquiry, ticket_type=TicketType.SERVICE_REQUEST, by=team["sales"])
    inquiry.refresh_from_db()
    assert ticket.number.startswith("SR-") and ticket.source == TicketSource.INQUIRY
    assert ticket.requester == team["sales"]
    assert inquiry.number in ticket.title and inquiry.number in ticket.description
    assert inquiry.email not in ticket.description and "010" not in ticket.description
    assert list(inquiry.ticket_links.values_list("ticket", flat=True)) == [ticket.pk]
    assert list(ticket.inquiry_links.values_list("inquiry", flat=True)) == [inquiry.pk]
    assert inquiry.status == Status.IN_PROGRESS
    event = AuditEvent.objects.filter(object_id=str(inquiry.pk), action="converted").get()
    assert event.context["ticket"] == ticket.number


def test_convert_refuses_outsiders_spam_and_bad_types(receive, team):
    inquiry = receive()
    with pytest.raises(PermissionDenied):
        inquiry_convert_to_ticket(inquiry=inquiry, by=team["marketer"])
    with pytest.raises(ValidationError):
        inquiry_convert_to_ticket(inquiry=inquiry, ticket_type="problem", by=team["sales"])
    with pytest.raises(ValidationError):
        inquiry_convert_to_ticket(inquiry=receive(website="x"), by=team["sales"])
    assert not Ticket.objects.exists()


def test_a_p1_from_someone_the_p1_policy_does_not_allow_is_filed_at_p2(receive, team):
    """Sales are not agents: under the default policy their P1 becomes a P2 with a note."""
    ticket = inquiry_convert_to_ticket(inquiry=receive(), priority="P1", by=team["sales"])
    assert ticket.priority == "P2"
    assert AuditEvent.objects.filter(object_id=str(ticket.pk), action="p1_not_allowed").exists()


def test_convert_takes_the_title_and_priority_through_the_matrix(receive, team):
    from tickets.models import Level, P1Policy, PriorityMatrix, TicketSettings

    TicketSettings.objects.update_or_create(pk=TicketSettings.current().pk, defaults={"p1_policy": P1Policy.ANYONE})
    inquiry = receive()
    ticket = inquiry_convert_to_ticket(
        inquiry=inquiry, ticket_type=TicketType.INCIDENT, title="  PoC   환경 준비 ", priority="P1", by=team["sales"]
    )
    assert (ticket.title, ticket.priority, ticket.impact, ticket.urgency) == ("PoC 환경 준비", "P1", "high", "high")
    # An admin re-labelled the matrix: the priority asked for is still the one the ticket gets.
    PriorityMatrix.objects.update_or_create(impact=Level.HIGH, urgency=Level.HIGH, defaults={"priority": "P2"})
    PriorityMatrix.objects.update_or_create(impact=Level.HIGH, urgency=Level.MEDIUM, defaults={"priority": "P1"})
    again = inquiry_convert_to_ticket(inquiry=inquiry, priority="P1", by=team["sales"])
    assert again.priority == "P1" and again.title == f"[{inquiry.number}] {inquiry.subject}"
    with pytest.raises(ValidationError):
        inquiry_convert_to_ticket(inquiry=inquiry, priority="P9", by=team["sales"])
    with pytest.raises(ValidationError):
        inquiry_convert_to_ticket(inquiry=inquiry, title="가" * 201, by=team["sales"])
