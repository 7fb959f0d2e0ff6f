"""The history search answers exactly what a plain substring scan (the LIKE oracle) answers.

Generated Korean text (2-syllable words, words inside longer words, Korean/English/number
mixes such as VPN장애 and INC-123, uneven spacing, wildcards and quotes) is searched through
the tickets source as an admin, with the planner in both its shapes, and compared with
``matches_text`` over the same title, description and comments (erp.history.terms).
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from erp.history import engine
from erp.history.terms import matches_text, parse_words
from tickets.models import Comment, Ticket

PIECES = [
    "장애", "결제", "쿠폰", "사내", "위키", "사내위키", "사내 위키", "VPN", "vpn", "장애대응", "INC-123",
    "123", "1234", "010-1234-5678", "가", "나", "서버", "%", "_", "'", "*", " ", "  ", "\n", "Wi-Fi",
]  # fmt: skip
QUERY_PIECES = [
    "장애", "결제", "사내위키", "사내 위키", "위키", "VPN장애", "vpn", "INC-123", "1234", "%", "_", "'",
    "장", "서버장애", "내위", "Wi-Fi", "가나", "쿠폰 결제", "*",
]  # fmt: skip

text = st.lists(st.sampled_from(PIECES), max_size=6).map("".join)
record = st.tuples(text, text, st.lists(st.tuples(text, st.booleans()), max_size=2))


@pytest.mark.django_db
@pytest.mark.parametrize("rare_and_frequent", [10**9, 1], indirect=True, ids=["rare", "frequent"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    records=st.lists(record, min_size=1, max_size=8),
    query=st.lists(st.sampled_from(QUERY_PIECES), min_size=1, max_size=2),
)
def test_ticket_search_equals_the_like_oracle(records, query, people, infra, rare_and_frequent):
    admin = people["admin"]
    Ticket.objects.all().delete()
    tickets = Ticket.objects.bulk_create(
        Ticket(number=f"GEN-{i}", title=title[:200] or "-", description=body, requester=admin, group=infra)
        for i, (title, body, _comments) in enumerate(records)
    )
    Comment.objects.bulk_create(
        Comment(ticket=ticket, author=admin, body=comment or "-", internal=internal)
        for ticket, (_t, _b, comments) in zip(tickets, records, strict=True)
        for comment, internal in comments
    )
    text = " ".join(query)
    words = parse_words(text)
    request = engine.SearchRequest(words=words, keys=["tickets"])
    source = engine.search_sources(["tickets"])[0]
    found = set(engine.matching(source, admin, request).values_list("pk", flat=True))
    expected = {
        ticket.pk
        for ticket, (title, body, comments) in zip(tickets, records, strict=True)
        if matches_text(words, [title[:200] or "-", body, *(c or "-" for c, _i in comments)])
    }
    assert found == expected
