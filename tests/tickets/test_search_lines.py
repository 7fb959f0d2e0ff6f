"""Slack's search answer (tickets.selectors.search_lines) is the list search, for every viewer.

search_lines runs its final query prepared (one shape per kind of viewer, the found ids as one
array) when the index found every match; these tests hold it to the ORM form
``as_lines(visible_tickets(user).filter(search_q(user, text)))`` for every role, with rare and
frequent terms, internal notes, a watcher and a ticket number, so a change of the visibility
rules cannot leave the prepared shapes behind.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tickets.models import Ticket
from tickets.selectors import SEARCH_ORDER, as_lines, search_lines, search_q, visible_tickets

from .matrix import ROLES, user_for


@pytest.fixture(params=["rare", "frequent"])
def term_frequency(request, monkeypatch):
    monkeypatch.setattr("erp.core.search.planner.FREQUENT_TERM_MATCHES", 10**9 if request.param == "rare" else 1)
    return request.param


@pytest.fixture
def tickets(search_tickets, new_ticket, people, dev, clock):
    clock.advance(minutes=1)
    watched = new_ticket(title="모니터 고장", description="HDMI 장애", group=dev, by=people["other_agent"])
    watched.watchers.add(people["requester"])
    return {**search_tickets, "watched": watched}


def orm_answer(user, text):
    found = visible_tickets(user).filter(search_q(user, text)).order_by(*SEARCH_ORDER)
    return [ticket.pk for ticket in as_lines(found)[:10]]


TEXTS = ["장애", "서버 장애", "방화벽", "누락", "결제", "없는 말", "장"]


@pytest.mark.parametrize("role", ROLES)
def test_search_lines_answer_what_the_list_search_answers(people, tickets, term_frequency, role):
    user = user_for(people, role)
    for text in [*TEXTS, tickets["noted"].number]:
        lines = search_lines(user, text, 10)
        assert [ticket.pk for ticket in lines] == orm_answer(user, text), text
        assert all(isinstance(line, Ticket) and line.number for line in lines)


def test_a_short_list_is_cut_at_the_count(people, tickets):
    assert len(search_lines(people["admin"], "장애", 2)) == 2


def test_internal_note_text_finds_nothing_for_a_requester(people, tickets):
    assert search_lines(people["requester"], "누락", 10) == []
    assert [t.pk for t in search_lines(people["agent"], "누락", 10)] == [tickets["noted"].pk]
    assert [t.pk for t in search_lines(people["admin"], "누락", 10)] == [tickets["noted"].pk]


@pytest.mark.postgres
@pytest.mark.parametrize("role", ["requester", "agent", "manager", "other_manager", "admin"])
def test_a_rare_term_is_two_queries_on_postgresql(people, tickets, role):
    """The planner's probe, then the prepared final query: nothing compiled per search."""
    if connection.vendor != "postgresql":
        pytest.skip("the prepared final query is PostgreSQL's (one array parameter)")
    user = user_for(people, role)
    search_lines(user, "장애", 10)  # the viewer's employee profile is read on first use
    with CaptureQueriesContext(connection) as queries:
        lines = search_lines(user, "장애", 10)
    assert len(queries) == 2
    assert [ticket.pk for ticket in lines] == orm_answer(user, "장애")
