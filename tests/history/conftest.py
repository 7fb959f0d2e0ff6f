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


def logged_in(client, user):
    client.force_login(user)
    return client
