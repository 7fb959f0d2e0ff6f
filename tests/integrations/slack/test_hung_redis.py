"""M6: a Redis that accepts connections and never answers costs a request one short timeout.

A local TCP server accepts and then stays silent (what the review's server D did); the
cache (circuit breaker, erp/core/cache.py) and the broker publish (outbox) both point at
it. Ticket creation through the API and through a signed Slack modal submission must stay
far inside Slack's 3 seconds; the figures are in bench/README.md ("Hung Redis").
"""

import socket
import threading
import time

import kombu.transport.redis  # noqa: F401  (imported up front: import time is not Redis time)
import pytest
import redis  # noqa: F401
from django.conf import settings

from erp.workcalendar import calendar
from integrations.slack.core import outbox
from tests.fakes.slack_signing import interactivity_form_body, signed_headers, view_submission_payload
from tickets.models import Ticket

from .conftest import use_broker

pytestmark = pytest.mark.django_db(transaction=True)

# Far below the 3-5 s the review measured; the target (≤ 300 ms) is what bench/README.md records.
BUDGET_SECONDS = 1.0


@pytest.fixture
def silent_redis():
    """Accepts TCP connections, reads whatever comes, never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held, stop = [], threading.Event()

    def serve():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                connection, _ = server.accept()
                held.append(connection)
            except OSError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    stop.set()
    thread.join(2)
    for connection in held:
        connection.close()
    server.close()


@pytest.fixture
def hang(settings, silent_redis, slack):
    """Call to point the cache and the broker at the silent server (after warming up)."""

    def activate():
        settings.CACHES = {
            "default": {
                "BACKEND": "erp.core.cache.CircuitBreakerRedisCache",
                "LOCATION": silent_redis,
                "OPTIONS": {"socket_connect_timeout": 0.1, "socket_timeout": 0.1, "breaker_seconds": 10},
            }
        }
        settings.CELERY_BROKER_URL = silent_redis
        use_broker(silent_redis, {"socket_connect_timeout": 1, "socket_timeout": 1.5})
        outbox.broker_backoff_reset()
        calendar._cached = None  # the next SLA computation asks the cache for the calendar version

    return activate


def _timed(call):
    started = time.perf_counter()
    response = call()
    return response, time.perf_counter() - started


def _create(client, people, title):
    return client.post("/api/tickets/", {"title": title, "group": people["infra"].pk}, "application/json")


def test_api_ticket_creation_stays_fast(client, people, hang):
    client.force_login(people["requester"])
    _create(client, people, "warm-up")  # a process's first request imports half the project: not Redis time
    hang()
    timings = []
    for n in range(3):
        response, took = _timed(lambda n=n: _create(client, people, f"BROKER-HUNG {n}"))
        assert response.status_code == 201
        timings.append(took)
    print("hung redis, API create:", [f"{t * 1000:.0f} ms" for t in timings])
    assert max(timings) < BUDGET_SECONDS
    assert Ticket.objects.filter(title__startswith="BROKER-HUNG").count() == 3


def test_slack_modal_submission_stays_fast(client, people, hang):
    client.force_login(people["requester"])
    _create(client, people, "warm-up")
    hang()
    values = {"title": {"value": "HUNG modal"}, "description": {"value": "재현"}}
    body = interactivity_form_body(view_submission_payload("tickets.create", values, "", "UREQUEST1"))
    response, took = _timed(
        lambda: client.post(
            "/slack/interactivity",
            data=body,
            content_type="application/x-www-form-urlencoded",
            **signed_headers(settings.SLACK_SIGNING_SECRET, body),
        )
    )
    print(f"hung redis, Slack modal: {took * 1000:.0f} ms")
    assert response.status_code == 200 and took < BUDGET_SECONDS
    assert Ticket.objects.filter(title="HUNG modal").exists()
