"""The prepared reads of tickets.selectors keep the visibility rules.

Lists of one's own tickets (my_open_lines, and my_open_assigned / my_requested for the home
panels) skip the visibility filter.

They may, by the first rule of tickets.selectors: everyone sees the tickets they requested
and those assigned to them. These tests hold visibility_q to that rule for every role and
sensitivity (a change of the rules that breaks it must change those lists too), and check that
the lists answer what the visibility-filtered list answers. The prepared ticket summary and comment
excerpts (Slack's ticket detail) answer as ticket_for and comment_excerpts for every role.
"""

import pytest

from tickets.models import ACTIVE_STATUSES, Status, Ticket
from tickets.selectors import (
    as_lines,
    comment_excerpts,
    latest_comment_excerpts,
    list_tickets,
    my_open_assigned,
    my_open_lines,
    my_requested,
    ticket_for,
    ticket_summary_for,
    visible_tickets,
)

from .matrix import HANDLE, ROLES, user_for


@pytest.fixture
def tickets(new_ticket, people):
    """Every pairing of requester and assignee among the roles, sensitive or not, open or closed."""
    made = []
    users = [user_for(people, role) for role in ROLES]
    for index, requester in enumerate(users):
        assignee = users[(index + 3) % len(users)]
        for sensitive in (False, True):
            ticket = new_ticket(by=requester, sensitive=sensitive, title=f"{requester.username} {sensitive}")
            Ticket.objects.filter(pk=ticket.pk).update(assignee=assignee)
            made.append(ticket)
    Ticket.objects.filter(pk=made[-1].pk).update(status=Status.CLOSED)
    return made


@pytest.mark.parametrize("role", ROLES)
def test_everyone_sees_what_they_requested_and_what_is_assigned_to_them(people, tickets, role):
    user = user_for(people, role)
    for side in ("requester", "assignee"):
        own = Ticket.objects.filter(**{side: user})
        assert own.exists()
        assert set(visible_tickets(user).filter(**{side: user})) == set(own), side


@pytest.mark.parametrize("role", ROLES)
def test_prepared_own_lists_answer_what_the_selectors_answer(people, tickets, role):
    user = user_for(people, role)
    visible = list_tickets(user)
    assigned = list(
        as_lines(visible.filter(assignee=user, status__in=ACTIVE_STATUSES).order_by("resolution_due", "id"))[:10]
    )
    requested = list(
        as_lines(visible.filter(requester=user, status__in=ACTIVE_STATUSES).order_by("-created_at", "-id"))[:10]
    )
    assert [t.pk for t in as_lines(my_open_assigned(user))[:10]] == [t.pk for t in assigned]
    assert [t.pk for t in as_lines(my_requested(user).filter(status__in=ACTIVE_STATUSES))[:10]] == [
        t.pk for t in requested
    ]
    lines = my_open_lines(user, "assignee", 10)
    assert [t.pk for t in lines] == [t.pk for t in assigned]
    assert [t.number for t in lines] == [t.number for t in assigned]
    assert [(t.title, t.assignee.employee.display_name) for t in lines] == [
        (t.title, t.assignee.employee.display_name) for t in assigned
    ]
    assert [t.pk for t in my_open_lines(user, "requester", 10)] == [t.pk for t in requested]


@pytest.mark.parametrize("sensitive", [False, True])
@pytest.mark.parametrize("role", ROLES)
def test_prepared_summary_and_excerpts_keep_the_visibility_rules(people, matrix_ticket, role, sensitive):
    """ticket_summary_for / latest_comment_excerpts (prepared) answer as ticket_for / comment_excerpts."""
    from tickets.services import ticket_comment

    ticket = matrix_ticket(sensitive)
    ticket_comment(ticket=ticket, body="공개 답변", by=people["agent2"])
    ticket_comment(ticket=ticket, body="내부 메모", internal=True, by=people["agent2"])
    user = user_for(people, role)
    for ref in (ticket.number, ticket.pk):
        try:
            expected = ticket_for(user, ref)
        except Ticket.DoesNotExist:
            with pytest.raises(Ticket.DoesNotExist):
                ticket_summary_for(user, ref)
            continue
        summary = ticket_summary_for(user, ref)
        assert summary.pk == expected.pk and summary.requester.employee.display_name == "requester"
        readable = list(comment_excerpts(user, summary).order_by("created_at", "id"))
        latest = latest_comment_excerpts(user, summary, 3)
        assert [c.body for c in latest] == [c.body for c in readable][-3:]
        assert ("내부 메모" in [c.body for c in latest]) == HANDLE[role][sensitive]
