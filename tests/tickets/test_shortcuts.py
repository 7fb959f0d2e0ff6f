"""visible_ticket_or_404: the one "ticket you may see, else 404" used by the pages and the API."""

import pytest
from django.http import Http404
from django.utils import translation

from tickets.shortcuts import visible_ticket_or_404


def test_the_requester_gets_the_ticket_by_number_or_id(people, new_ticket):
    ticket = new_ticket()
    requester = people["requester"]
    assert visible_ticket_or_404(requester, ticket.number) == ticket
    assert visible_ticket_or_404(requester, str(ticket.pk)) == ticket


@pytest.mark.parametrize("ref", ["invisible", "INC-999", "nonsense", "INC-" + "9" * 30])
def test_invisible_missing_and_malformed_look_the_same(people, new_ticket, ref):
    ticket = new_ticket()
    ref = ticket.number if ref == "invisible" else ref
    with translation.override("en"), pytest.raises(Http404, match="No such ticket, or you cannot see it."):
        visible_ticket_or_404(people["colleague"], ref)


def test_page_and_api_answer_404_alike(client, people, new_ticket):
    ticket = new_ticket()
    client.force_login(people["colleague"])
    assert client.get(f"/tickets/{ticket.number}/").status_code == 404
    response = client.get(f"/api/tickets/{ticket.number}/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json() == {"message": "No such ticket, or you cannot see it."}
