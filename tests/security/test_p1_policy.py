"""Who may raise a P1 (review L6, issue 15): an admin's policy, enforced in ticket_create, so
the web form, the REST API, the Slack modal (what ``/fs create`` opens) and an alert's
"티켓 생성" all obey it. A disallowed P1 is filed at P2, audited, and the requester is told."""

import json

import pytest
from django.urls import reverse

from alerts.models import AlertGroup, Severity
from alerts.services import Incoming, alerts_receive, group_open_ticket
from erp.audit.actor import Actor
from erp.audit.models import AuditEvent
from erp.people.models import Employee, Role
from tests.admin_pages import form_data
from tests.alerts.conftest import prometheus, team  # noqa: F401  (fixtures)
from tests.fakes.slack_signing import checkboxes, static_select, view_submission_payload
from tests.tickets.conftest import make_person
from tickets.models import P1Policy, Ticket, TicketSettings
from tickets.p1_policy import notice_for
from tickets.services import ticket_create

pytestmark = pytest.mark.django_db


def policy(value):
    TicketSettings.objects.update_or_create(pk=1, defaults={"p1_policy": value})


def p1(by, group, **extra):
    return ticket_create(title="전사 VPN 다운", impact="high", urgency="high", group=group, by=Actor(user=by), **extra)


# --- the service: every surface goes through it ----------------------------------------------
def test_by_default_staff_get_p2_with_a_note_and_agents_get_p1(people, infra):
    ticket = p1(people["requester"], infra)
    assert ticket.priority == "P2" and ticket.p1_held_back
    event = AuditEvent.objects.get(action="p1_not_allowed", object_id=str(ticket.pk))
    assert event.context["requested"] == "P1" and event.context["filed_at"] == "P2"
    assert "P2" in notice_for(ticket)
    assert p1(people["agent"], infra).priority == "P1"
    assert p1(people["other_manager"], infra).priority == "P1"


def test_team_leads_may_under_the_default_but_not_under_agents_only(people, infra, dev):
    lead = make_person("teamlead", dev, Role.STAFF)
    Employee.objects.filter(user=people["colleague"]).update(manager=Employee.objects.get(user=lead))
    assert p1(lead, infra).priority == "P1"
    policy(P1Policy.AGENTS)
    assert p1(lead, infra).priority == "P2"
    assert p1(people["agent"], infra).priority == "P1"


def test_anyone(people, infra):
    policy(P1Policy.ANYONE)
    ticket = p1(people["requester"], infra)
    assert ticket.priority == "P1" and not notice_for(ticket)


def test_the_system_is_not_limited(people, infra):
    policy(P1Policy.AGENTS)
    ticket = ticket_create(
        title="자동 감지", impact="high", urgency="high", group=infra, requester=people["requester"], by=Actor()
    )
    assert ticket.priority == "P1"


def test_the_admin_sets_the_policy_audited(client, people):
    client.force_login(make_person("boss", superuser=True))
    url = reverse("admin:tickets_ticketsettings_add")
    response = client.post(url, {**form_data(client.get(url)), "p1_policy": "agents"})
    assert response.status_code == 302
    assert TicketSettings.current().p1_policy == "agents"
    assert AuditEvent.objects.filter(action="created", content_type__model="ticketsettings").exists()


# --- the surfaces ----------------------------------------------------------------------------
def test_web_form(client, people, infra):
    """The requester's form asks a plain question (tickets/forms.py WORK_IMPACT) instead of
    impact × urgency: its worst answer is a P2, so a requester cannot reach a P1 from the web
    at all, and impact/urgency posted anyway are ignored."""
    client.force_login(people["requester"])
    response = client.post(
        reverse("tickets:create"),
        {
            "title": "VPN 전체 장애",
            "ticket_type": "incident",
            "work_impact": "stopped",
            "impact": "high",
            "urgency": "high",
            "group": infra.pk,
        },
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and ticket.priority == "P2"
    assert (ticket.impact, ticket.urgency) == ("high", "medium")


def test_rest_api(client, people, infra):
    client.force_login(people["requester"])
    body = {"title": "VPN 전체 장애", "group": infra.pk, "impact": "high", "urgency": "high"}
    response = client.post("/api/tickets/", body, "application/json")
    assert response.status_code == 201
    assert response.json()["priority"] == "P2" and "P2" in response.json()["notice"]
    client.force_login(people["agent"])
    response = client.post("/api/tickets/", body, "application/json")
    assert response.json()["priority"] == "P1" and "notice" not in response.json()


def test_an_alerts_ticket_button(prometheus, team):  # noqa: F811
    alerts_receive(
        source=prometheus, incoming=[Incoming(external_id="a1", key="disk", title="디스크", severity=Severity.CRITICAL)]
    )
    group = AlertGroup.objects.get()
    ticket = group_open_ticket(group=group, by=team["member"])
    assert ticket.priority == "P2" and notice_for(ticket)
    assert AuditEvent.objects.filter(action="p1_not_allowed", object_id=str(ticket.pk)).exists()


class TestSlackModal:
    """The create modal (opened by ``/fs create``, the shortcut and message actions)."""

    @pytest.fixture
    def values(self, crew):
        return {
            "title": {"value": "전사 메일 장애"},
            "description": {"value": "모두 안 됨"},
            "ticket_type": {"value": static_select("incident")},
            "impact": {"value": static_select("high")},
            "urgency": {"value": static_select("high")},
            "group": {"value": static_select(str(crew["infra"].pk))},
            "sensitive": {"value": checkboxes([])},
        }

    def test_a_requester_is_told_in_the_done_view(self, post, crew, values):
        response = post.interaction(view_submission_payload("tickets.create", values, json.dumps({}), "UREQUEST1"))
        ticket = Ticket.objects.get()
        assert ticket.priority == "P2"
        view = json.dumps(response.json()["view"], ensure_ascii=False)
        assert ticket.number in view and "P2" in view and "P1" in view

    def test_an_agent_raises_it(self, post, crew, values):
        post.interaction(view_submission_payload("tickets.create", values, json.dumps({}), "UAGENT001"))
        assert Ticket.objects.get().priority == "P1"
