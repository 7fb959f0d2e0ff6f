"""Korean search: 2-syllable words, words inside longer words, comments, internal notes."""

import pytest

from tickets.filters import TicketFilter
from tickets.models import Ticket
from tickets.selectors import list_tickets, search_q
from tickets.services import ticket_comment


@pytest.fixture(params=["rare", "frequent"], autouse=True)
def term_frequency(request, monkeypatch):
    """Run every search test in both query shapes (index subqueries / row-by-row STRPOS)."""
    monkeypatch.setattr("erp.core.search.planner.FREQUENT_TERM_MATCHES", 10**9 if request.param == "rare" else 1)
    return request.param


@pytest.fixture
def corpus(new_ticket, people):
    tickets = {
        "outage": new_ticket(title="결제 서버 장애", description="오전부터 결제가 실패합니다."),
        "longword": new_ticket(title="네트워크장애보고", description="3층 스위치"),
        "coupon": new_ticket(title="쿠폰 발송 문의", description="KT 기프티쇼 발송 이력 확인 요청"),
        "printer": new_ticket(title="프린터 용지 걸림", description="2층 복합기"),
    }
    ticket_comment(ticket=tickets["printer"], body="토너 교체 후 정상화되었습니다", by=people["agent"])
    ticket_comment(ticket=tickets["coupon"], body="원인: 방화벽 정책 누락", internal=True, by=people["agent"])
    return tickets


def search(user, text):
    return set(list_tickets(user).filter(search_q(user, text)).values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("장애", {"outage", "longword"}),  # 2 syllables, and inside 네트워크장애보고
        ("네트워크", {"longword"}),
        ("결제", {"outage"}),
        ("발송 이력", {"coupon"}),
        ("토너", {"printer"}),  # only in a public comment
        ("kt", {"coupon"}),  # case-insensitive
        ("없는단어", set()),
    ],
)
def test_korean_search(corpus, people, text, expected):
    assert search(people["agent"], text) == {corpus[name].pk for name in expected}


def test_internal_note_text_does_not_match_for_requesters(corpus, people):
    assert search(people["agent"], "방화벽") == {corpus["coupon"].pk}
    assert search(people["requester"], "방화벽") == set()
    assert search(people["admin"], "방화벽") == {corpus["coupon"].pk}


def test_filterset_q_and_number(corpus, people):
    user = people["agent"]
    qs = TicketFilter({"q": "장애"}, queryset=list_tickets(user), user=user).qs
    assert set(qs.values_list("pk", flat=True)) == {corpus["outage"].pk, corpus["longword"].pk}
    number = corpus["coupon"].number.lower()
    qs = TicketFilter({"q": number}, queryset=list_tickets(user), user=user).qs
    assert list(qs.values_list("pk", flat=True)) == [corpus["coupon"].pk]
    assert Ticket.objects.count() == 4


@pytest.mark.postgres
def test_search_uses_the_bigram_index_on_postgresql(corpus, people):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'tickets_%%bigram'")
        names = {row[0] for row in cursor.fetchall()}
    assert names == {"tickets_ticket_title_bigram", "tickets_ticket_description_bigram", "tickets_comment_body_bigram"}
