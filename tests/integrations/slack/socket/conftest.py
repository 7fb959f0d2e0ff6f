"""Socket Mode tests: the real SocketModeClient against the loopback stand-in of Slack.

The runner handles envelopes on its own threads with their own database connections, so
these tests use ``transactional_db`` (the fixtures' rows are committed and visible there),
on PostgreSQL: the in-memory SQLite test database (shared cache) refuses a second writer
at once instead of waiting. tests/integrations/slack/socket/test_envelopes.py covers the
envelope handling itself on any database.
Envelopes carry the same payloads the HTTP tests sign (tests/fakes/slack_signing.py).
"""

import json
import threading
from urllib.parse import parse_qs

import pytest
from django.conf import settings

from integrations.slack.inbound.deferred import wait_deferred
from integrations.slack.socket.runner import SocketModeRunner
from tests.fakes.slack_signing import event_callback_body, slash_command_body
from tests.fakes.slack_socket import APP_TOKEN, FakeSocketMode
from tests.integrations.slack.inbound.conftest import _fresh_process_memory, crew, post  # noqa: F401

from ..conftest import expand_notifications


@pytest.fixture
def transactional_crew(transactional_db, crew):  # noqa: F811
    return crew


@pytest.fixture(autouse=True)
def _threads_close_their_connections():
    """The runner's threads end each envelope with close_old_connections(): with no reuse
    their connections close then, so the test database can be dropped afterwards."""
    from django.db import connections

    alias = connections.settings["default"]
    old = alias.get("CONN_MAX_AGE")
    alias["CONN_MAX_AGE"] = 0
    yield
    alias["CONN_MAX_AGE"] = old


@pytest.fixture
def socket_slack(settings):
    fake = FakeSocketMode().start()
    settings.SLACK_APP_TOKEN = APP_TOKEN
    settings.SLACK_SOCKET_API_BASE_URL = fake.base_url
    yield fake
    fake.stop()
    assert not fake.problems, fake.problems


class RunningSocket:
    """A SocketModeRunner on a thread, as `manage.py slack_socket` runs it."""

    def __init__(self, fake: FakeSocketMode, name: str):
        self.fake = fake
        self.runner = SocketModeRunner(
            app_token=APP_TOKEN, api_base_url=fake.base_url, name=name, ping_interval=1, heartbeat_seconds=1
        )
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self.runner.run, args=(self.stop_event,), daemon=True, name=name)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.stop_event.set()
        self.thread.join(timeout=10)


@pytest.fixture
def start_socket(socket_slack, slack, transactional_crew):
    running = []

    def start(name="test-socket-1"):
        process = RunningSocket(socket_slack, name).start()
        running.append(process)
        return process

    yield start
    for process in running:
        process.stop()


@pytest.fixture
def connected(start_socket, socket_slack):
    process = start_socket()
    socket_slack.wait_links(1)
    return process


def command_payload(text: str, user_id: str, **kwargs) -> dict:
    """The slash_commands payload Socket Mode sends: the signed HTTP form, as JSON strings."""
    body = slash_command_body(kwargs.pop("command", None) or settings.SLACK_TICKET_COMMAND, text, user_id, **kwargs)
    return {key: values[0] for key, values in parse_qs(body.decode(), keep_blank_values=True).items()}


def event_payload(event: dict, event_id: str | None = None) -> dict:
    return json.loads(event_callback_body(event, event_id=event_id))


def settle() -> None:
    """What the HTTP poster does after each request: deferred calls, then the worker's look."""
    wait_deferred()
    expand_notifications()
