"""Role-aware home widgets: the agent's queue, the manager's team figures, the admin's system health."""

import pytest

from erp.audit.actor import Actor
from erp.history.rollups import fold_all
from erp.history.widgets import role_of, widgets_for
from tickets.services import ticket_assign

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def keys(user):
    return [widget.key for widget, _data in widgets_for(user)]


def test_each_role_gets_its_widgets(people, new_ticket):
    ticket = new_ticket()
    ticket_assign(ticket=ticket, assignee=people["agent"], by=Actor(user=people["admin"]))
    fold_all()
    assert [role_of(people[k]) for k in ("requester", "agent", "manager", "admin")] == [
        "staff", "agent", "manager", "admin",
    ]  # fmt: skip
    assert keys(people["requester"]) == []
    assert keys(people["agent"]) == ["tickets.my_queue", "alerts.firing"]
    assert keys(people["manager"]) == [
        "tickets.my_queue",
        "tickets.team_sla",
        "tickets.backlog",
        "attendance.team_hours",
        "alerts.firing",
    ]
    assert keys(people["admin"]) == [
        "tickets.team_sla",
        "tickets.backlog",
        "attendance.team_hours",
        "inquiries.waiting",
        "coupons.sends",
        "alerts.firing",
        "slack.delivery",
    ]
    (queue,) = [data for widget, data in widgets_for(people["agent"]) if widget.key == "tickets.my_queue"]
    assert [(str(label), value) for label, value in queue.figures] == [("Open", 1), ("SLA at risk", 0)]


def test_the_home_page_shows_them_as_svg(client, people, new_ticket):
    new_ticket()
    fold_all()
    client.force_login(people["manager"])
    html = client.get("/").content.decode()
    assert "Team SLA trend" in html and "<svg" in html
