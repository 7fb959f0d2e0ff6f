"""A requester's public reply on a pending ticket resumes it (as Freshservice does)."""

from datetime import datetime

import pytest

from erp.audit.actor import Actor
from erp.audit.models import AuditEvent
from erp.workcalendar.calendar import KST
from tickets.models import Level, SLAState, Status
from tickets.services import ticket_assign, ticket_change_status, ticket_comment

pytestmark = pytest.mark.django_db


def kst(*args):
    return datetime(*args, tzinfo=KST)


def status_events(ticket):
    return AuditEvent.objects.filter(action="status_changed", object_id=str(ticket.pk)).order_by("id")


def test_requester_reply_resumes_an_assigned_ticket_with_the_sla_clock(clock, new_ticket, people, signal_log):
    agent, requester = people["agent"], people["requester"]
    clock.set(2026, 9, 21, 9, 0)  # Monday; P2 business hours: resolution due Mon 17:00
    ticket = new_ticket(impact=Level.HIGH, urgency=Level.MEDIUM)
    ticket_assign(ticket=ticket, assignee=agent, by=agent)
    ticket_comment(ticket=ticket, body="로그를 보내주세요.", by=agent)
    clock.set(2026, 9, 21, 11, 0)
    ticket = ticket_change_status(ticket=ticket, status="pending", by=agent)
    assert ticket.sla_state == SLAState.PAUSED
    signal_log.clear()

    clock.set(2026, 9, 22, 11, 0)  # Tuesday 11:00: paused 420 + 120 business minutes
    ticket_comment(ticket=ticket, body="로그 첨부했습니다.", by=Actor(user=requester, source="slack"))
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS
    assert ticket.sla_paused_at is None and ticket.sla_paused_minutes == pytest.approx(540)
    assert ticket.resolution_due == kst(2026, 9, 22, 17, 0) and ticket.sla_state == SLAState.ON_TRACK

    event = status_events(ticket).last()
    assert event.changes == {"status": ["pending", "in_progress"]}
    assert event.actor_id == requester.pk and event.source == "slack" and event.context["reason"]
    names = [name for name, _kw in signal_log]
    assert names == ["ticket_commented", "ticket_status_changed"]  # the reply, then its consequence
    changed = signal_log[1][1]
    assert (changed["old_status"], changed["new_status"], changed["by"].user) == ("pending", "in_progress", requester)


def test_unassigned_pending_ticket_goes_back_to_open(new_ticket, people):
    ticket = new_ticket()
    ticket_change_status(ticket=ticket, status="pending", by=people["agent"])
    ticket_comment(ticket=ticket, body="답변드립니다.", by=people["requester"])
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN and ticket.sla_paused_at is None


@pytest.mark.parametrize(
    ("who", "internal"),
    [("agent", False), ("agent", True), ("manager", False)],
)
def test_other_replies_leave_a_pending_ticket_pending(new_ticket, people, who, internal):
    ticket = new_ticket()
    ticket_change_status(ticket=ticket, status="pending", by=people["agent"])
    ticket_comment(ticket=ticket, body="아직 기다립니다.", internal=internal, by=people[who])
    ticket.refresh_from_db()
    assert ticket.status == Status.PENDING and ticket.sla_paused_at is not None
    assert status_events(ticket).count() == 1


def test_requester_reply_on_other_statuses_changes_no_status(new_ticket, people):
    ticket = new_ticket()
    ticket_comment(ticket=ticket, body="추가 정보입니다.", by=people["requester"])
    ticket_change_status(ticket=ticket, status="in_progress", by=people["agent"])
    ticket_comment(ticket=ticket, body="또 추가합니다.", by=people["requester"])
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS and status_events(ticket).count() == 1


def test_web_reply_by_the_requester_resumes(client, new_ticket, people):
    from django.urls import reverse

    ticket = new_ticket()
    ticket_assign(ticket=ticket, assignee=people["agent"], by=people["agent"])
    ticket_change_status(ticket=ticket, status="pending", by=people["agent"])
    client.force_login(people["requester"])
    client.post(reverse("tickets:comment", args=[ticket.number]), {"body": "확인 부탁드립니다."})
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS and status_events(ticket).last().source == "web"
