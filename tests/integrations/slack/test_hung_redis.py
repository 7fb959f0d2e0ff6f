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


# The budget for the whole request; what Redis may add on top of the request's own work.
REQUEST_BUDGET_SECONDS = 0.3
REDIS_SHARE_SECONDS = 0.2


def test_first_request_pays_one_timeout_not_two(client, people, hang):
    """The first creation after Redis hung took 703 ms: the cache's timeout (0.1 s) and then
    the publish deadline (0.2 s) on the same dead server, plus the client set-up. The cache and
    the broker now share one breaker per server (erp/core/redis_outage.py)."""
    client.force_login(people["requester"])
    baseline = []
    for n in range(3):
        _response, took = _timed(lambda n=n: _create(client, people, f"warm-up {n}"))
        baseline.append(took)
    hang()
    response, first = _timed(lambda: _create(client, people, "BROKER-HUNG first"))
    print(f"hung redis, first API create: {first * 1000:.0f} ms (normal {min(baseline) * 1000:.0f} ms)")
    assert response.status_code == 201
    # Machine load moves the request's own work; the Redis share is what this fix bounds.
    assert first - min(baseline) < REDIS_SHARE_SECONDS
    assert first < REQUEST_BUDGET_SECONDS or first - min(baseline) < REDIS_SHARE_SECONDS / 2
    from erp.core import redis_outage

    assert redis_outage.is_down(settings.CELERY_BROKER_URL)  # the publish was skipped, not waited for


def test_publish_failure_opens_the_cache_breaker_too(settings, silent_redis, slack):
    """The other order: a publish that times out marks the server down for the cache as well."""
    from django.core.cache import cache

    from erp.core import redis_outage

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
    assert outbox.publish(999_999) is False
    assert redis_outage.is_down(silent_redis)
    _value, took = _timed(lambda: cache.get("anything"))
    assert took < 0.01  # skipped: no second timeout


def test_redis_clients_are_built_at_start_up(silent_redis):
    """A fresh process with REDIS_URL imports redis-py and builds the cache pool in
    CoreConfig.ready (no network I/O, so a hung server costs start-up nothing)."""
    import os
    import subprocess
    import sys

    code = (
        "import sys, time, django; t = time.perf_counter(); django.setup(); "
        "from django.core.cache import caches; "
        "print('redis' in sys.modules, 'kombu.transport.redis' in sys.modules, "
        "'_cache' in caches['default'].__dict__, round(time.perf_counter() - t, 2))"
    )
    env = {**os.environ, "REDIS_URL": silent_redis, "DJANGO_SETTINGS_MODULE": "erp.settings.base"}
    env.pop("CELERY_BROKER_URL", None)
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60, check=True
    ).stdout.split()
    assert out[:3] == ["True", "True", "True"], out
