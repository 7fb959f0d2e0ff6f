"""erp.people.names.display_name: one fallback chain, used by every surface that names a person."""

import pytest
from django.contrib.auth import get_user_model

from erp.audit.actor import Actor
from erp.people.names import display_name
from integrations.slack.tickets.blocks.reports import ticket_line
from tests.factories import make_department, make_employee
from tickets.admin import TicketAdmin
from tickets.list_rows import list_rows
from tickets.models import Ticket
from tickets.serializers import PersonSerializer
from tickets.services import ticket_assign, ticket_create


@pytest.fixture
def bare_user(db):
    """A login without an employee profile (a bare superuser, a service account)."""
    return get_user_model().objects.create_user("svc-backup", first_name="길동", last_name="홍", is_superuser=True)


def test_the_profile_name_comes_first(db):
    employee = make_employee("seoyeon", display_name="이서연")
    employee.user.first_name = "Seoyeon"
    employee.user.save()
    assert display_name(employee.user) == "이서연"
    assert display_name(employee) == "이서연"


def test_without_a_profile_the_full_name_then_the_username(bare_user):
    assert display_name(bare_user) == "길동 홍"
    bare_user.first_name = bare_user.last_name = ""
    assert display_name(bare_user) == "svc-backup"


def test_a_blank_profile_name_falls_back_too(db):
    employee = make_employee("blank", display_name="")
    assert display_name(employee) == "blank"
    assert display_name(employee.user) == "blank"


def test_nobody_is_named_empty():
    assert display_name(None) == ""


def test_every_surface_names_a_profileless_assignee_alike(bare_user):
    """The list page, the API, the admin, the audit trail and Slack lists used three different
    chains (some skipped the full name); now they all say the same."""
    requester = make_employee("requester", display_name="윤예준", department=make_department()).user
    ticket = ticket_create(title="VPN 끊김", description="", requester=requester, by=requester)
    ticket = ticket_assign(ticket=ticket, assignee=bare_user, by=bare_user)
    ticket = Ticket.objects.select_related("assignee", "requester__employee").get(pk=ticket.pk)
    names = {
        "list row": list_rows([ticket])[0].assignee,
        "api": PersonSerializer(bare_user).data["display_name"],
        "admin": TicketAdmin(Ticket, None).assignee_name(ticket),
        "audit": Actor(user=bare_user).label,
    }
    assert set(names.values()) == {"길동 홍"}, names
    assert "길동 홍" in ticket_line(ticket)
