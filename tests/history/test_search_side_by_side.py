"""The cross-module search asks its sources side by side (erp.core.fanout) outside a transaction:
the same groups, hits, counts and wording as one after another."""

import pytest
from django.db import connection
from django.utils import translation

from erp.history import engine
from erp.history.terms import parse_words

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="side by side only on PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def shown(user, text):
    groups = engine.overview(user, engine.SearchRequest(words=parse_words(text)))
    return [(g.source.key, [(h.title, h.summary, h.url) for h in g.hits], g.count.found) for g in groups]


@pytest.mark.parametrize("language", ["ko", "en"])
def test_side_by_side_shows_what_one_after_another_shows(language, settings, people, new_ticket, dev, clock):
    for n in range(7):
        clock.advance(minutes=3)
        new_ticket(title=f"VPN 장애 {n}", description="접속 장애", **({"group": dev} if n % 2 else {}))
    for user in (people["admin"], people["agent"], people["requester"]):
        with translation.override(language):
            settings.FANOUT_THREADS = 1
            in_series = shown(user, "장애")
            settings.FANOUT_THREADS = 4
            assert shown(user, "장애") == in_series
    assert any(key == "tickets" for key, _hits, _count in in_series)
