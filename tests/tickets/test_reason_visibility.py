"""Escalation and status-change reasons are handling notes: the ticket page shows them only
to people who can handle the ticket; a requester still sees the reasons they wrote."""

from erp.audit.actor import Actor
from tickets.services import ticket_change_status, ticket_escalate, ticket_reopen, ticket_resolve

ESCALATION_REASON = "담당자 역량 부족으로 상위 그룹 검토"
PENDING_REASON = "요청자 답변이 늦어 보류 중"


def page_for(client, user, ticket):
    client.force_login(user)
    return client.get(ticket.get_absolute_url()).content.decode()


def test_requester_does_not_see_handling_reasons(client, people, new_ticket):
    agent = Actor(user=people["agent"])
    ticket = new_ticket()
    ticket_change_status(ticket=ticket, status="pending", reason=PENDING_REASON, by=agent)
    ticket_escalate(ticket=ticket, reason=ESCALATION_REASON, by=agent)

    requester_page = page_for(client, people["requester"], ticket)
    # Routing is internal handling: a requester sees neither the escalation nor its reason
    # (issue 16); the status change is shown, without its reason.
    assert "event-escalated" not in requester_page and "event-status_changed" in requester_page
    assert ESCALATION_REASON not in requester_page and PENDING_REASON not in requester_page
    colleague_agent_page = page_for(client, people["other_agent"], ticket)  # not a handler of this group
    assert ESCALATION_REASON not in colleague_agent_page

    for handler in ("agent", "manager", "admin"):
        page = page_for(client, people[handler], ticket)
        assert ESCALATION_REASON in page and PENDING_REASON in page, handler


def test_requester_sees_the_reason_they_wrote(client, people, new_ticket):
    ticket = new_ticket()
    ticket_resolve(ticket=ticket, resolution="VPN 재설정", by=Actor(user=people["agent"]))
    ticket_reopen(ticket=ticket, reason="다시 끊어집니다", by=Actor(user=people["requester"]))
    assert "다시 끊어집니다" in page_for(client, people["requester"], ticket)
    assert "다시 끊어집니다" in page_for(client, people["agent"], ticket)
