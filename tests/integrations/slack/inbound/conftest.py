"""Fixtures for the Slack inbound tests: people linked to Slack, tickets, signed posting.

Requests are genuinely signed (tests/fakes/slack_signing.py) and posted through Django's
test client; Web API calls (views.open, views.publish, users.info …) reach the FakeSlackAPI
through the ``slack`` fixture. ``post`` runs on-commit callbacks and waits for the deferred
response_url / views.publish calls, so tests see their effects deterministically.
"""

import json

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from erp.people.models import Department, Employee, Role
from integrations.slack.inbound.deferred import wait_deferred
from integrations.slack.inbound.identity import forget_refusals
from integrations.slack.inbound.workspace import forget_domains
from tests.fakes.slack_api.contract import ack_problems
from tests.fakes.slack_signing import (
    event_callback_body,
    interactivity_form_body,
    signed_headers,
    slash_command_body,
)
from tests.integrations.slack.conftest import expand_notifications

from ..factories import file_ticket

URLS = {
    "commands": "/slack/commands",
    "interactivity": "/slack/interactivity",
    "events": "/slack/events",
    "options": "/slack/options",
}


@pytest.fixture(autouse=True)
def _fresh_process_memory():
    forget_refusals()
    forget_domains()
    yield
    forget_refusals()
    forget_domains()


@pytest.fixture
def crew(db):
    """infra (agents, manager) and dev (requester, colleague) groups, everyone linked to Slack."""
    User = get_user_model()
    infra = Department.objects.create(name="인프라팀", code="infra", slack_channel_id="CINFRA001")
    dev = Department.objects.create(name="개발팀", code="dev", slack_channel_id="CDEV00001")

    # English speakers by default so assertions on messages hold once the Korean catalog
    # is filled in; "korean" checks that replies follow Employee.language.
    def person(username, name, role, department, slack_id, language="en", **extra):
        user = User.objects.create_user(username, f"{username}@haru.example", "pw", **extra)
        Employee.objects.create(
            user=user, display_name=name, role=role, department=department, slack_user_id=slack_id, language=language
        )
        return user

    return {
        "infra": infra,
        "dev": dev,
        "agent": person("seoyeon", "이서연", Role.AGENT, infra, "UAGENT001"),
        "agent2": person("dohyun", "박도현", Role.AGENT, infra, "UAGENT002", language="en"),
        "manager": person("minjun", "김민준", Role.MANAGER, infra, "UMANAGER1"),
        "requester": person("yejun", "윤예준", Role.STAFF, dev, "UREQUEST1"),
        "colleague": person("sua", "조수아", Role.STAFF, dev, "UCOLLEAG1", language="en"),
        "admin": person("admin", "관리자", Role.ADMIN, infra, "UADMIN001", is_superuser=True, is_staff=True),
        "korean": person("jiwoo", "최지우", Role.AGENT, infra, "UKOREAN01", language="ko"),
    }


@pytest.fixture
def make_ticket(crew):
    def create(**kwargs):
        ticket = file_ticket(by=kwargs.pop("by", None) or crew["requester"], default_group=crew["infra"], **kwargs)
        expand_notifications()  # its channel message is queued, as after the worker's first look
        return ticket

    return create


class SlackPoster:
    """Signs and posts Slack requests the way Slack does."""

    def __init__(self, client, capture, slack_server=None):
        self.client = client
        self.capture = capture
        self.slack = slack_server

    def raw(self, endpoint: str, body: bytes, *, content_type: str, headers: dict | None = None):
        extra = signed_headers(settings.SLACK_SIGNING_SECRET, body) if headers is None else headers
        with self.capture(execute=True):
            response = self.client.post(URLS[endpoint], data=body, content_type=content_type, **extra)
        wait_deferred()
        expand_notifications()  # what the worker does right after the request's commit
        assert_slack_accepts(response)
        return response

    def command(self, text: str, user_id: str, *, command: str | None = None, **kwargs):
        body = slash_command_body(command or settings.SLACK_TICKET_COMMAND, text, user_id, **kwargs)
        return self.raw("commands", body, content_type="application/x-www-form-urlencoded")

    def interaction(self, payload: dict, endpoint: str = "interactivity"):
        body = interactivity_form_body(payload)
        return self.raw(endpoint, body, content_type="application/x-www-form-urlencoded")

    def event(self, event: dict, *, event_id: str | None = None, retry_num: int | None = None):
        body = event_callback_body(event, event_id=event_id)
        headers = signed_headers(settings.SLACK_SIGNING_SECRET, body)
        if retry_num is not None:
            headers["HTTP_X_SLACK_RETRY_NUM"] = str(retry_num)
            headers["HTTP_X_SLACK_RETRY_REASON"] = "http_timeout"
        return self.raw("events", body, content_type="application/json", headers=headers)

    def response_url(self) -> str:
        """A response_url on the fake Slack server, so posts to it are observable."""
        return self.slack.new_response_url()

    def response_posts(self) -> list[dict]:
        return [call.args for call in self.slack.calls if call.method.startswith("response/")]


def assert_slack_accepts(response) -> None:
    """The ack body is a message, modal or option list Slack must accept, like any Web API call."""
    if response.status_code != 200 or not response.get("Content-Type", "").startswith("application/json"):
        return
    problems = ack_problems(response.json())
    assert not problems, f"Slack would refuse this answer: {problems}"


@pytest.fixture
def post(client, slack, django_capture_on_commit_callbacks):
    return SlackPoster(client, django_capture_on_commit_callbacks, slack)


def ephemeral_text(response) -> str:
    """All visible text of an ephemeral command answer (text + blocks), for assertions."""
    assert response.status_code == 200, response.content
    body = response.json()
    assert body.get("response_type") == "ephemeral", body
    return body.get("text", "") + "\n" + json.dumps(body.get("blocks", []), ensure_ascii=False)


def opened_views(slack) -> list[dict]:
    return [call.args["view"] for call in slack.calls_to("views.open")]


# The channel message of a ticket, as tests of buttons and thread replies find it.
TICKET_CHANNEL = "CINFRA001"
TICKET_TS = "1700000000.000100"


@pytest.fixture
def ticket(make_ticket):
    return make_ticket()


@pytest.fixture
def posted(ticket):
    """The ticket's channel message as the outbound layer records it once delivered."""
    from django.contrib.contenttypes.models import ContentType

    from integrations.slack.core.models import DeliveryStatus, MessageRef, SlackMessage
    from tickets.models import Ticket

    SlackMessage.objects.filter(message_key=f"tickets.ticket:{ticket.pk}").update(
        status=DeliveryStatus.SENT, attempts=1, channel_id=TICKET_CHANNEL, ts=TICKET_TS
    )
    return MessageRef.objects.create(
        content_type=ContentType.objects.get_for_model(Ticket),
        object_id=str(ticket.pk),
        message_key=f"tickets.ticket:{ticket.pk}",
        target=TICKET_CHANNEL,
        channel_id=TICKET_CHANNEL,
        ts=TICKET_TS,
    )
