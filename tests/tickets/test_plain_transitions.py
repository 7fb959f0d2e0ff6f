"""ticket_change_status makes plain moves only: resolving needs a resolution (ticket_resolve)
and reopening a resolved/closed ticket needs a reason (ticket_reopen) — on every path: the
service, the web status form, the API /status/ and the admin bulk action."""

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from erp.audit.actor import Actor
from tickets.models import Status
from tickets.services import (
    UseDedicatedAction,
    allowed_next_statuses,
    plain_next_statuses,
    ticket_change_status,
    ticket_close,
    ticket_reopen,
    ticket_resolve,
)

RESOLVE_MOVES = [("open", "resolved"), ("in_progress", "resolved"), ("pending", "resolved")]
REOPEN_MOVES = [("resolved", "open"), ("resolved", "in_progress"), ("closed", "open")]


def at_status(ticket, status, agent):
    if status in ("in_progress", "pending"):
        return ticket_change_status(ticket=ticket, status=status, by=agent)
    if status == "resolved":
        return ticket_resolve(ticket=ticket, resolution="재부팅으로 해결", by=agent)
    if status == "closed":
        return ticket_close(ticket=ticket, by=agent)
    return ticket


@pytest.mark.parametrize(("old", "new"), RESOLVE_MOVES + REOPEN_MOVES)
def test_change_status_refuses_resolve_and_reopen_and_names_the_action(new_ticket, people, old, new, signal_log):
    agent = Actor(user=people["agent"])
    ticket = at_status(new_ticket(), old, agent)
    signal_log.clear()
    with translation.override("en"), pytest.raises(UseDedicatedAction) as error:
        ticket_change_status(ticket=ticket, status=new, reason="메모", by=agent)
    assert error.value.code == "use_dedicated_action"
    assert ticket.number in str(error.value)
    assert ("Resolve" if new == "resolved" else "Reopen") in str(error.value)
    ticket.refresh_from_db()
    assert ticket.status == old
    assert signal_log == []


@pytest.mark.parametrize(("old", "new"), RESOLVE_MOVES + REOPEN_MOVES)
def test_the_dedicated_action_does_the_move(new_ticket, people, old, new):
    agent = Actor(user=people["agent"])
    ticket = at_status(new_ticket(), old, agent)
    if new == "resolved":
        ticket = ticket_resolve(ticket=ticket, resolution="VPN 재설정", by=agent)
        assert ticket.resolution == "VPN 재설정"
    else:
        ticket = ticket_reopen(ticket=ticket, reason="다시 끊깁니다", by=agent)
    assert ticket.status in ({new} if new == "resolved" else {"open", "in_progress"})


def test_plain_next_statuses_leave_out_resolve_and_reopen():
    assert plain_next_statuses(Status.OPEN) == ["in_progress", "pending", "closed"]
    assert plain_next_statuses(Status.PENDING) == ["open", "in_progress", "closed"]
    assert plain_next_statuses(Status.RESOLVED) == ["closed"]
    assert plain_next_statuses(Status.CLOSED) == []
    # The full graph still lists them (Slack's status modal resolves through ticket_resolve).
    assert "resolved" in allowed_next_statuses(Status.OPEN) and "open" in allowed_next_statuses(Status.CLOSED)


def test_web_status_form_offers_plain_moves_only(client, people, new_ticket):
    agent = people["agent"]
    ticket = new_ticket()
    client.force_login(agent)
    # The toolbar's picker: plain moves, closing has its own button by the resolution box.
    form = client.get(ticket.get_absolute_url()).context["toolbar_form"]
    assert [value for value, _label in form.fields["status"].choices] == ["in_progress", "pending"]
    ticket = at_status(ticket, "resolved", Actor(user=agent))
    response = client.get(ticket.get_absolute_url())
    assert [value for value, _label in response.context["toolbar_form"].fields["status"].choices] == []
    assert response.context["toolbar"]["close"] and not response.context["toolbar"]["status"]


@pytest.mark.parametrize(("old", "new"), [("open", "resolved"), ("closed", "open")])
def test_web_status_post_is_refused_with_a_message(client, people, new_ticket, old, new):
    agent = people["agent"]
    ticket = at_status(new_ticket(), old, Actor(user=agent))
    client.force_login(agent)
    response = client.post(reverse("tickets:status", args=[ticket.number]), {"status": new}, follow=True)
    assert response.status_code == 200
    assert any(ticket.number in str(m) and m.level_tag == "error" for m in response.context["messages"])
    ticket.refresh_from_db()
    assert ticket.status == old and not (new == "resolved" and ticket.resolution)


def test_api_status_refuses_resolved_and_reopen_with_400(people, new_ticket):
    api = APIClient()
    agent = people["agent"]
    api.force_authenticate(agent)
    ticket = new_ticket()
    with translation.override("en"):
        response = api.post(f"/api/tickets/{ticket.number}/status/", {"status": "resolved"}, format="json")
    assert response.status_code == 400
    assert "resolve/" in response.json()["message"] and "status" in response.json()["errors"]

    ticket = at_status(ticket, "closed", Actor(user=agent))
    response = api.post(f"/api/tickets/{ticket.number}/status/", {"status": "open", "reason": "x"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "use_dedicated_action"
    ticket.refresh_from_db()
    assert ticket.status == "closed"

    response = api.post(f"/api/tickets/{ticket.number}/reopen/", {"reason": "다시 발생"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "open"


def test_api_schema_offers_plain_statuses_only(client, people):
    client.force_login(people["admin"])
    schema = client.get("/api/schema/", {"format": "json"}).json()
    status_enums = [
        component["enum"]
        for name, component in schema["components"]["schemas"].items()
        if "enum" in component and "pending" in component["enum"]
    ]
    assert any("resolved" not in enum for enum in status_enums)


def test_admin_bulk_status_offers_plain_statuses_and_refuses_reopen(admin_client, people, new_ticket):
    client, admin = admin_client, people["admin"]
    changelist = reverse("admin:tickets_ticket_changelist")
    action_form = client.get(changelist).context["action_form"]
    assert "resolved" not in [value for value, _label in action_form.fields["status"].choices]

    ticket = new_ticket()
    data = {"action": "change_status_selected", "_selected_action": [ticket.pk], "index": 0, "status": "resolved"}
    client.post(changelist, data, follow=True)
    ticket.refresh_from_db()
    assert ticket.status == "open" and not ticket.resolution

    closed = at_status(new_ticket(), "closed", Actor(user=admin))
    data.update(_selected_action=[closed.pk], status="open")
    response = client.post(changelist, data, follow=True)
    closed.refresh_from_db()
    assert closed.status == "closed"
    assert any(closed.number in str(m) and m.level_tag == "error" for m in response.context["messages"])
