"""The status modal offers the moves it can carry out: plain moves plus resolving."""

from erp.audit.actor import Actor
from integrations.slack.tickets.handlers.modals import status_modal_for
from tickets.models import Status
from tickets.services import ticket_assign, ticket_change_status, ticket_resolve


def offered(view: dict) -> list[str]:
    values = []
    for block in view["blocks"]:
        element = block.get("element") or {}
        values += [option["value"] for option in element.get("options", [])]
    return values


def test_an_open_ticket_can_be_resolved_from_the_modal(make_ticket, crew):
    ticket = make_ticket()
    values = offered(status_modal_for(ticket, {}))
    assert Status.RESOLVED in values
    assert Status.IN_PROGRESS in values


def test_a_resolved_ticket_offers_no_reopen_targets(make_ticket, crew):
    agent = Actor(user=crew["agent"])
    ticket = ticket_assign(ticket=make_ticket(), assignee=crew["agent"], by=agent)
    ticket = ticket_change_status(ticket=ticket, status=Status.IN_PROGRESS, by=agent)
    ticket = ticket_resolve(ticket=ticket, resolution="재부팅으로 해결", by=agent)
    values = offered(status_modal_for(ticket, {}))
    assert Status.OPEN not in values and Status.IN_PROGRESS not in values
