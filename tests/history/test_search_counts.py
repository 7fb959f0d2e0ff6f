"""The capped count from the planner's probes ("1,000+" without counting): only when it is true.

The thresholds are shrunk so a handful of tickets plays the part of thousands: a probe is
"frequent" from 2 matching rows, and the count is capped at 1 ("1+"). Every answer is checked
against the rows the viewer can actually find.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from erp.core.search.planner import probe_reports
from erp.history import engine
from erp.history.terms import parse_words
from tickets.services import ticket_comment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_thresholds(monkeypatch):
    monkeypatch.setattr("erp.core.search.planner.FREQUENT_TERM_MATCHES", 2)
    monkeypatch.setattr(engine, "COUNT_CAP", 1)
    monkeypatch.setattr(engine, "OVERVIEW_COUNT_CAP", 1)
    monkeypatch.setattr(engine.capped_count, "__defaults__", (1,))
    monkeypatch.setattr(engine.overview, "__kwdefaults__", {"hits": 1})


@pytest.fixture
def outages(new_ticket, dev, clock):
    """Three tickets about an outage: one in infra (the agent's group), two in dev."""
    made = []
    for title, group in [("VPN 장애", None), ("메일 장애", dev), ("메일 서버 장애", dev)]:
        clock.advance(minutes=1)
        made.append(new_ticket(title=title, description="-", **({"group": group} if group else {})))
    return made


def tickets_count(user, text, **filters):
    request = engine.SearchRequest(words=parse_words(text), **filters)
    with CaptureQueriesContext(connection) as queries:
        groups = {group.source.key: group for group in engine.overview(user, request)}
    counted = [q["sql"] for q in queries if q["sql"].upper().startswith("SELECT COUNT(*)")]
    group = groups.get("tickets")
    return (str(group.count) if group else None), counted


def test_an_admin_gets_the_capped_count_from_the_probe_without_counting(people, outages):
    shown, counted = tickets_count(people["admin"], "장애")
    assert shown == "1+"  # true: 3 tickets, more than the cap of 1
    assert counted == []


def test_a_viewer_who_sees_part_of_the_rows_is_counted(people, outages):
    # The probe found 3 rows, but the agent sees only the infra ticket: "1+" would be a lie.
    shown, counted = tickets_count(people["agent"], "장애")
    assert shown == "1"
    assert len(counted) == 1


@pytest.mark.parametrize("text", ["VPN 장애", "메일 서버"])
def test_two_words_are_counted(people, outages, text):
    # Each word's probe may be frequent; only both together decide, so the probe proves nothing.
    shown, counted = tickets_count(people["admin"], text)
    assert shown == "1"
    assert len(counted) == 1


def test_a_period_is_counted(people, outages):
    shown, counted = tickets_count(people["admin"], "장애", start=outages[2].created_at)
    assert shown == "1"
    assert len(counted) == 1


def test_a_word_frequent_only_in_comments_is_counted(people, new_ticket, clock):
    # Three matching comments on one ticket: the comment probe is frequent, yet one ticket matches.
    ticket = new_ticket(title="프린터 용지 걸림", description="3층")
    new_ticket(title="모니터 교체", description="")
    for _ in range(3):
        clock.advance(minutes=1)
        ticket_comment(ticket=ticket, body="장애 아님, 용지 문제", internal=False, by=people["agent"])
    shown, counted = tickets_count(people["admin"], "장애")
    assert shown == "1"
    assert len(counted) == 1


def test_the_module_page_count_uses_the_probe_only_for_a_viewer_who_sees_everything(people, outages):
    source = engine.search_sources(["tickets"])[0]
    request = engine.SearchRequest(words=parse_words("장애"), keys=["tickets"])
    _page, count = engine.page(people["admin"], source, request, cursor=None)
    assert str(count) == "1+"
    _page, count = engine.page(people["agent"], source, request, cursor=None)
    assert str(count) == "1"


def test_probe_reports_name_the_frequent_own_fields_and_only_inside_the_block(people, outages):
    source = engine.search_sources(["tickets"])[0]
    source.match_q(people["admin"], "장애")  # outside a block: nothing is collected, nothing breaks
    with probe_reports() as reports:
        source.match_q(people["admin"], "장애")
        source.match_q(people["admin"], "없는말")
    found = [(r.model.__name__, r.frequent, r.at_least) for r in reports]
    assert found == [("Ticket", ("title",), 2), ("Ticket", (), 2)]
