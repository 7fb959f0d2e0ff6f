"""M2: only the requester, the group's managers and admins clear ``sensitive`` (real API requests)."""

import pytest

from tickets.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def secret(new_ticket, people):
    return new_ticket(
        title="인사 징계 건",
        sensitive=True,
        assignee=people["agent"],
        by=people["manager"],
        requester=people["requester"],
    )


def _patch(client, user, ticket, **data):
    client.force_login(user)
    return client.patch(f"/api/tickets/{ticket.number}/", data, content_type="application/json")


@pytest.mark.parametrize("who", ["agent", "agent2", "other_manager", "colleague"])
def test_others_cannot_clear_the_flag(client, people, secret, who):
    response = _patch(client, people[who], secret, sensitive=False)
    assert response.status_code in (403, 404)
    assert Ticket.objects.get(pk=secret.pk).sensitive is True


@pytest.mark.parametrize("who", ["requester", "manager", "admin"])
def test_requester_group_manager_and_admin_may(client, people, secret, who):
    response = _patch(client, people[who], secret, sensitive=False)
    assert response.status_code == 200, response.content
    assert Ticket.objects.get(pk=secret.pk).sensitive is False


def test_the_assignee_may_still_mark_a_ticket_sensitive(client, people, new_ticket):
    ticket = new_ticket(title="프린터", assignee=people["agent"], by=people["manager"], requester=people["requester"])
    assert _patch(client, people["agent"], ticket, sensitive=True).status_code == 200
    assert _patch(client, people["agent"], ticket, sensitive=False).status_code == 403
    assert _patch(client, people["requester"], ticket, title="프린터 고장").status_code == 200
