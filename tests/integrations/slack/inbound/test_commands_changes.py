"""``/fs reopen | group | priority | oncall`` and two-word status labels."""

from datetime import date, datetime, time, timedelta

import pytest
import time_machine

from erp.audit.models import AuditEvent
from erp.workcalendar.calendar import KST
from tickets.models import GroupSettings, Status, Ticket
from tickets.oncall.models import OnCallMember, OnCallOverride, OnCallRotation
from tickets.services import ticket_close, ticket_escalate, ticket_resolve

from .conftest import ephemeral_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(make_ticket):
    return make_ticket()


def test_reopen_needs_a_reason_and_follows_the_web_rules(post, crew, ticket):
    ticket_resolve(ticket=ticket, resolution="재부팅", by=crew["agent"])
    assert "Say why" in ephemeral_text(post.command(f"reopen {ticket.number}", "UAGENT001"))
    text = ephemeral_text(post.command(f"다시열기 {ticket.number} 같은 오류가 다시 납니다", "UREQUEST1"))
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN and "open again" in text
    event = AuditEvent.objects.filter(action="status_changed").latest("pk")
    assert event.context["reason"] == "같은 오류가 다시 납니다" and event.source == "slack"
    # An open ticket cannot be reopened: the service's own refusal.
    assert "Only resolved or closed" in ephemeral_text(post.command(f"reopen {ticket.number} 또", "UAGENT001"))
    # Someone who may not see it is told so.
    ticket_close(ticket=ticket, resolution="해결", by=crew["agent"])
    assert "not found" in ephemeral_text(post.command(f"reopen {ticket.number} 다시", "UCOLLEAG1"))


def test_group_change_uses_the_update_service(post, crew, ticket):
    text = ephemeral_text(post.command(f"그룹 {ticket.number} 개발팀", "UAGENT001"))
    ticket.refresh_from_db()
    assert ticket.group == crew["dev"] and "개발팀" in text
    assert "There is no group" in ephemeral_text(post.command(f"group {ticket.number} 없는팀", "UADMIN001"))
    # The requester may not move it (web rule: only title and description).
    assert "requester" in ephemeral_text(post.command(f"group {ticket.number} infra", "UREQUEST1"))


def test_priority_follows_impact_and_urgency_like_the_web(post, crew, ticket):
    assert ticket.priority == "P3"
    text = ephemeral_text(post.command(f"우선순위 {ticket.number} 높음 높음", "UAGENT001"))
    ticket.refresh_from_db()
    assert ticket.priority == "P1" and "P1" in text
    assert "impact and the urgency" in ephemeral_text(post.command(f"priority {ticket.number} P1", "UAGENT001"))


def test_progress_written_as_two_words_keeps_the_reason(post, crew, ticket):
    post.command(f"상태 {ticket.number} 진행 중 확인 중입니다", "UAGENT001")
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS
    assert AuditEvent.objects.filter(action="status_changed").latest("pk").context["reason"] == "확인 중입니다"


def test_escalating_agent_keeps_read_access(post, crew, ticket):
    GroupSettings.objects.create(group=crew["infra"], escalation_group=crew["dev"])
    ticket_escalate(ticket=ticket, reason="개발팀 확인", by=crew["agent"])
    ticket.refresh_from_db()
    assert ticket.group == crew["dev"]
    text = ephemeral_text(post.command(f"ticket {ticket.number}", "UAGENT001"))
    assert ticket.number in text and "tickets.escalate" not in text  # sees it, no longer handles it
    from tickets.selectors import visible_tickets

    assert list(visible_tickets(crew["agent"]).filter(pk=ticket.pk)) == [Ticket.objects.get(pk=ticket.pk)]
    assert not visible_tickets(crew["agent2"]).filter(pk=ticket.pk).exists()


def test_oncall_answers_now_and_next_per_group(post, crew):
    rotation = OnCallRotation.objects.create(group=crew["infra"], anchor_date=date(2026, 11, 30))
    OnCallMember.objects.create(rotation=rotation, employee=crew["agent"].employee, position=0)
    OnCallMember.objects.create(rotation=rotation, employee=crew["agent2"].employee, position=1)
    wednesday = datetime.combine(date(2026, 12, 2), time(15, 0), KST)
    with time_machine.travel(wednesday, tick=True):
        text = ephemeral_text(post.command("oncall", "UREQUEST1"))
    assert "인프라팀" in text and "<@UAGENT001>" in text and "<@UAGENT002>" in text
    assert "Dec 7 (Mon) 09:00" in text
    # An override for tonight is the next change.
    OnCallOverride.objects.create(
        rotation=rotation,
        employee=crew["manager"].employee,
        starts_at=wednesday + timedelta(hours=3),
        ends_at=wednesday + timedelta(hours=18),
    )
    with time_machine.travel(wednesday, tick=True):
        text = ephemeral_text(post.command("당번", "UREQUEST1"))
    assert "<@UMANAGER1>" in text and "Dec 2 (Wed) 18:00" in text


def test_oncall_without_rotations_says_so(post, crew):
    assert "No group has an on-call rotation" in ephemeral_text(post.command("온콜", "UAGENT001"))
