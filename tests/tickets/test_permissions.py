"""Permissions enforced by selectors and services: role × sensitive × action."""

import pytest
from django.core.exceptions import PermissionDenied

from erp.audit.actor import Actor
from tickets.models import Comment, Ticket
from tickets.selectors import can_comment_from_thread, ticket_comments, ticket_for, visible_tickets
from tickets.services import (
    ticket_assign,
    ticket_change_status,
    ticket_close,
    ticket_comment,
    ticket_escalate,
    ticket_update,
)

from .matrix import CASES, ROLES, expected, user_for


def perform(action, ticket, user, people):
    by = Actor(user=user)
    if action == "view":
        return ticket_for(user, ticket.number)
    if action == "edit":
        return ticket_update(ticket=ticket, title="제목 변경", by=by)
    if action == "assign":
        return ticket_assign(ticket=ticket, assignee=people["agent"], by=by)
    if action == "status":
        return ticket_change_status(ticket=ticket, status="in_progress", by=by)
    if action == "comment":
        return ticket_comment(ticket=ticket, body="답변", by=by)
    if action == "internal_note":
        return ticket_comment(ticket=ticket, body="내부 메모", internal=True, by=by)
    if action == "escalate":
        return ticket_escalate(ticket=ticket, reason="상위 검토", by=by)
    if action == "close":
        return ticket_close(ticket=ticket, by=by)
    raise AssertionError(action)


@pytest.mark.parametrize(("role", "sensitive", "action"), CASES)
def test_service_permission_matrix(people, matrix_ticket, role, sensitive, action):
    ticket = matrix_ticket(sensitive)
    user = user_for(people, role)
    outcome = expected(role, sensitive, action)
    assert visible_tickets(user).filter(pk=ticket.pk).exists() == (outcome != "hidden")
    if outcome == "ok":
        perform(action, ticket, user, people)
    elif action == "view":
        with pytest.raises(Ticket.DoesNotExist):
            perform(action, ticket, user, people)
    else:
        with pytest.raises(PermissionDenied):
            perform(action, ticket, user, people)


# Roles in the matrix whose employee role is agent-level (erp.people.roles.is_agent).
AGENT_LEVEL = {"agent", "assignee", "manager", "other_agent", "other_manager", "admin"}


@pytest.mark.parametrize("sensitive", [False, True])
@pytest.mark.parametrize("role", ROLES)
def test_thread_replies_count_for_agents_who_may_comment(people, matrix_ticket, role, sensitive):
    """A reply under the ticket's chat message is a comment only from an agent who may comment
    anyway, or from the requester (their reply is a public comment); others' replies stay chat."""
    ticket = matrix_ticket(sensitive)
    may_comment = expected(role, sensitive, "comment") == "ok"
    speaks_for_it = role in AGENT_LEVEL or role == "requester"
    assert can_comment_from_thread(user_for(people, role), ticket) == (speaks_for_it and may_comment)


def test_no_thread_reply_counts_on_a_closed_ticket(people, matrix_ticket):
    ticket = matrix_ticket(False)
    ticket_close(ticket=ticket, by=people["agent2"])
    ticket.refresh_from_db()
    assert not can_comment_from_thread(people["admin"], ticket)


def test_internal_notes_are_hidden_from_requesters(people, new_ticket):
    ticket = new_ticket()
    ticket_comment(ticket=ticket, body="공개 답변", by=people["agent"])
    ticket_comment(ticket=ticket, body="내부 메모: 계정 잠금 이력", internal=True, by=people["agent"])
    assert [c.body for c in ticket_comments(people["requester"], ticket)] == ["공개 답변"]
    assert len(ticket_comments(people["agent"], ticket)) == 2
    assert Comment.objects.count() == 2


def test_superuser_without_employee_is_admin(db, new_ticket):
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root", password="pw-for-tests-1")
    ticket = new_ticket(sensitive=True)
    assert ticket_for(root, ticket.number) == ticket
