"""The tickets search source: registered, permission-aware, and the same answers as the list search."""

import pytest
from django.db.models import Q

from erp.core.search import RelatedText, TextSearch, search_everywhere, search_source
from tickets.models import Comment, Ticket
from tickets.selectors import TICKET_SOURCE, handler_q, search_q, visible_tickets


@pytest.fixture(params=["rare", "frequent"], autouse=True)
def term_frequency(request, monkeypatch):
    monkeypatch.setattr("erp.core.search.planner.FREQUENT_TERM_MATCHES", 10**9 if request.param == "rare" else 1)
    return request.param


@pytest.fixture
def tickets(search_tickets):
    return search_tickets


def hits(user, text, **kwargs):
    (result,) = search_everywhere(user, text, keys=["tickets"], **kwargs)
    return result


def names(tickets, result):
    by_pk = {ticket.pk: name for name, ticket in tickets.items()}
    return [by_pk[hit.obj.pk] for hit in result.hits]


def test_registered_from_the_app_config():
    assert search_source("tickets") is TICKET_SOURCE


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("admin", {"outage", "secret", "dev"}),
        ("manager", {"outage", "secret"}),  # infra manager: the group's tickets, sensitive too
        ("agent", {"outage"}),  # infra agent: the group's, but not the sensitive one
        ("other_manager", {"dev", "outage"}),  # dev manager: dev's, and non-sensitive ones dev people asked
        ("requester", {"outage", "secret"}),  # their own requests, sensitive or not
        ("other_agent", {"dev"}),
        ("colleague", {"dev"}),
    ],
)
def test_a_sensitive_ticket_is_a_hit_only_for_those_who_may_see_it(tickets, people, who, expected):
    user = people[who]
    found = set(names(tickets, hits(user, "장애")))
    assert found == expected
    # the same rule as the ticket pages: the source is visible_tickets, nothing more
    assert found == {name for name, t in tickets.items() if visible_tickets(user).filter(pk=t.pk).exists()} & {
        "outage",
        "secret",
        "dev",
    }


def test_internal_note_text_is_no_hit_for_requesters(tickets, people):
    assert names(tickets, hits(people["agent"], "방화벽 정책")) == ["noted"]
    assert names(tickets, hits(people["requester"], "방화벽 정책")) == []
    assert names(tickets, hits(people["requester"], "방화벽")) == ["outage"]  # the public comment


def test_hits_newest_first_bounded_and_shown(tickets, people):
    result = hits(people["admin"], "장애", limit=2)
    assert names(tickets, result) == ["dev", "secret"]
    assert result.more is True
    first = result.hits[0]
    dev = tickets["dev"]
    assert first.title == f"{dev.number} 빌드 서버 장애"
    assert first.summary == "CI 중단"
    assert first.url == f"/tickets/{dev.number}/"
    assert first.when == dev.created_at
    assert first.source is TICKET_SOURCE
    assert hits(people["admin"], "장애", limit=3).more is False


def test_a_ticket_number_is_a_hit(tickets, people):
    number = tickets["noted"].number
    assert names(tickets, hits(people["requester"], number.lower())) == ["noted"]


def test_few_queries_per_search(tickets, people, django_assert_max_num_queries):
    user = people["agent"]
    user = type(user).objects.get(pk=user.pk)  # no cached employee row
    # the viewer's employee row, 3 probes (title, description, comments), the hits
    with django_assert_max_num_queries(6):
        result = hits(user, "장애")
        [hit.title for hit in result.hits]


def test_planner_on_comments_without_the_row_function(tickets, people):
    """Any model's private related text: the EXISTS fallback answers as tickets_comment_match does."""
    generic = TextSearch(Ticket, ["title", "description", RelatedText(Comment, "ticket", "body", private="internal")])
    for who in ("admin", "agent", "requester"):
        user = people[who]
        for text in ("방화벽", "방화벽 정책", "장애", "정상", "없는말"):
            reveal = handler_q(user)
            mine = set(visible_tickets(user).filter(generic.q(text, reveal=reveal)).values_list("pk", flat=True))
            theirs = set(visible_tickets(user).filter(search_q(user, text)).values_list("pk", flat=True))
            assert mine == theirs, (who, text)


def test_reveal_limits_private_rows(tickets):
    generic = TextSearch(Ticket, [RelatedText(Comment, "ticket", "body", private="internal")])
    noted = tickets["noted"]
    assert not Ticket.objects.filter(generic.q("방화벽 정책")).exists()  # default: nowhere
    assert list(Ticket.objects.filter(generic.q("방화벽 정책", reveal=None))) == [noted]
    assert list(Ticket.objects.filter(generic.q("방화벽 정책", reveal=Q(pk=noted.pk)))) == [noted]
    assert not Ticket.objects.filter(generic.q("방화벽 정책", reveal=Q(pk=tickets["outage"].pk))).exists()
