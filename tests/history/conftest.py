"""History search fixtures: the ticket crew (an infra and a dev group, every role) and a client."""

import pytest

from tests.tickets.conftest import (  # noqa: F401  (fixtures used by the tests here)
    _ticket_numbers_from_one,
    clock,
    dev,
    infra,
    new_ticket,
    people,
)


@pytest.fixture
def rare_and_frequent(request, monkeypatch):
    """Run a test with the planner's two shapes (ids found by the probes / row tests)."""
    monkeypatch.setattr("erp.core.search.planner.FREQUENT_TERM_MATCHES", request.param)
    return request.param


def assert_cells_sql_agrees(rollup) -> None:
    """The rollup's cells_sql gives every record the very cells its ``contribute`` gives
    (PostgreSQL's fold uses the first, SQLite's the second: they must never drift apart)."""
    from collections import Counter

    from django.db import connection

    from erp.history.rollups import declared_cells

    if connection.vendor != "postgresql" or not rollup.cells_sql:
        return
    records = list(rollup.records())
    in_python = Counter((record["id"], *cell.row()) for record in records for cell in rollup.contribute(record))
    assert in_python, "no cells to compare"
    assert Counter(declared_cells(rollup, [record["id"] for record in records])) == in_python


def logged_in(client, user):
    client.force_login(user)
    return client


def brief_round_trip(department, send, day, *, section: str, channel: str, kind: str) -> None:
    """What every "the brief replaces this morning post" test checks, on real rows: with the
    team opted in, ``send(day)`` queues no post of ``kind`` to ``channel`` and the team's brief
    shows ``section``; with the opt-in switched off, the separate post is queued as before."""
    from erp.core.models import ScheduledRun
    from erp.history.brief import brief_for
    from erp.history.models import TeamBrief
    from integrations.slack.core.models import SlackMessage

    posts = SlackMessage.objects.filter(target=channel, kind__startswith=kind)
    brief = TeamBrief.objects.create(department=department)
    assert section in [s.key for s, _part in brief_for(department, day)]
    send(day)
    assert not posts.exists(), f"{kind} posted to {channel} although {department} gets the brief"
    brief.replace_morning_posts = False
    brief.save()
    ScheduledRun.objects.all().delete()
    assert send(day) >= 1
    assert posts.exists(), f"{kind} not posted to {channel} once {department} opted out"
