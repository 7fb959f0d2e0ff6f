"""M1, L1, L2: /slack/* never answers 5xx; 401 before the signature; replays act once.

Every request is genuinely signed (or deliberately not) and posted through the full stack.
"""

import json
import time

import pytest
from django.conf import settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from integrations.slack.inbound.verification import signature_problem
from tests.fakes.slack_signing import (
    event_callback_body,
    interactivity_form_body,
    sign,
    signed_headers,
    slash_command_body,
    view_submission_payload,
)
from tests.integrations.slack.inbound.conftest import URLS
from tickets.models import Comment, Ticket

pytestmark = pytest.mark.django_db

ENDPOINTS = ("commands", "interactivity", "events", "options")
FORM = "application/x-www-form-urlencoded"

# Timestamps an attacker can send without knowing the secret (review M1 and more).
BAD_TIMESTAMPS = [
    "1" * 400,  # int too large to convert to float (slack_sdk)
    "1" * 5000,  # over Python's 4300-digit int() limit
    "\u00b2",  # superscript two: str.isdigit() but not int()
    "\u0661\u0662\u0663",  # Arabic-Indic digits
    "\uff11\uff17\uff10\uff10",  # full-width digits
    "-5",
    "+1796152170",
    " 1796152170",
    "1e10",
    "0x10",
    "abc",
    "1796152170.5",
    "٣" * 12,
    "9" * 13,
]
BAD_SIGNATURES = ["v0=00", "v0=" + "a" * 64, "V0=" + "a" * 64, "é" * 10, "v0=" + "ÿ" * 64, "x" * 5000, "v1=abc"]
BAD_BODIES = [b"\xff", b"\xfe\xff\x00", b"payload=%FF%FE", "페이로드".encode("cp949"), b"\x00" * 100]


def _post(client, endpoint, body, headers, content_type=FORM):
    return client.post(URLS[endpoint], data=body, content_type=content_type, **headers)


def _headers(timestamp, signature):
    return {"HTTP_X_SLACK_REQUEST_TIMESTAMP": timestamp, "HTTP_X_SLACK_SIGNATURE": signature}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("timestamp", BAD_TIMESTAMPS)
def test_absurd_timestamps_are_401_before_the_signature(client, endpoint, timestamp):
    response = _post(client, endpoint, b"text=hi", _headers(timestamp, "v0=00"))
    assert response.status_code == 401


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("body", BAD_BODIES)
def test_non_utf8_bodies_are_401_without_a_valid_signature(client, endpoint, body):
    response = _post(client, endpoint, body, _headers(str(int(time.time())), "v0=00"))
    assert response.status_code == 401


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("signature", BAD_SIGNATURES)
def test_malformed_signatures_are_401(client, endpoint, signature):
    response = _post(client, endpoint, b"text=hi", _headers(str(int(time.time())), signature))
    assert response.status_code == 401


@given(
    body=st.binary(max_size=300),
    timestamp=st.text(max_size=40),
    signature=st.text(max_size=80),
)
@hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_generated_unsigned_requests_never_raise(body, timestamp, signature):
    headers = {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": signature}
    assert signature_problem(body, headers) is not None


def test_a_signed_non_utf8_command_gets_an_ephemeral_error(client, crew):
    body = b"command=%2Ffs&user_id=UAGENT001&text=\xff\xfe"
    response = _post(client, "commands", body, signed_headers(settings.SLACK_SIGNING_SECRET, body))
    assert response.status_code == 200 and response.json()["response_type"] == "ephemeral"


def _event(client, event, *, retry=None, **envelope):
    data = json.loads(event_callback_body(event))
    data.update(envelope)
    body = json.dumps(data).encode()
    headers = signed_headers(settings.SLACK_SIGNING_SECRET, body)
    if retry is not None:
        headers["HTTP_X_SLACK_RETRY_NUM"] = retry
    return _post(client, "events", body, headers, "application/json")


MESSAGE = {"type": "message", "user": "UAGENT001", "channel": "CINFRA001", "ts": "1.2", "text": "hi"}
WRONG_EVENTS = [
    ({**MESSAGE}, {"team_id": 123}),
    ({**MESSAGE, "subtype": ["x"]}, {}),
    ({**MESSAGE, "user": ["U"]}, {}),
    ({**MESSAGE, "user": {"id": "U"}}, {}),
    ({**MESSAGE, "thread_ts": 1.5}, {}),
    ({**MESSAGE, "text": None, "channel": 7}, {}),
    ({**MESSAGE, "bot_profile": "x"}, {}),
    ({"type": "app_home_opened", "user": ["x"], "tab": "home"}, {}),
    ({"type": "app_home_opened", "user": "UAGENT001", "tab": 3}, {}),
    ({"type": ["message"]}, {}),
    (MESSAGE, {"event_id": 12345}),
    (MESSAGE, {"event_id": ["Ev1"]}),
    (MESSAGE, {"authorizations": "x"}),
    (MESSAGE, {"authorizations": [1, 2]}),
]


@pytest.mark.parametrize("event, envelope", WRONG_EVENTS)
def test_signed_events_with_wrong_types_are_4xx(client, crew, event, envelope):
    response = _event(client, event, **envelope)
    assert response.status_code == 400, response.content


@pytest.mark.parametrize("retry", ["\u00b2", "-1", "9" * 30, "1.5", "abc", "", "\uff11"])
def test_an_unsigned_retry_header_never_breaks_an_event(client, crew, retry):
    response = _event(client, {"type": "reaction_added", "user": "U1", "reaction": "eyes"}, retry=retry)
    assert response.status_code == 200


WRONG_INTERACTIONS = [
    {"type": "block_actions", "user": {"id": "UAGENT001"}, "team": "T1"},
    {"type": "block_actions", "user": {"id": "UAGENT001"}, "channel": ["C"]},
    {"type": "block_actions", "user": {"id": "UAGENT001"}, "actions": "x"},
    {"type": "block_actions", "user": {"id": "UAGENT001"}, "actions": {"a": 1}},
    {"type": "block_actions", "user": {"id": "UAGENT001"}, "actions": [1, 2]},
    {"type": "view_submission", "user": {"id": "UAGENT001"}, "view": "x"},
    {"type": "view_submission", "user": {"id": "UAGENT001"}, "view": {"callback_id": 5}},
    {"type": "view_submission", "user": {"id": "UAGENT001"}, "view": {"state": []}},
    {"type": ["x"], "user": {"id": "UAGENT001"}},
    {"type": "block_actions", "user": {"id": 7}},
    {"type": "shortcut", "user": {"id": "UAGENT001"}, "callback_id": {"x": 1}},
]


@pytest.mark.parametrize("payload", WRONG_INTERACTIONS)
def test_signed_interactions_with_wrong_types_are_4xx(client, crew, payload):
    body = interactivity_form_body(payload)
    for offset, endpoint in enumerate(("interactivity", "options")):
        stamp = int(time.time()) + offset  # one signature per request: a repeated one is a replay
        response = _post(client, endpoint, body, _headers(str(stamp), sign(settings.SLACK_SIGNING_SECRET, stamp, body)))
        assert response.status_code == 400, response.content


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3),
    max_leaves=8,
)
interaction_keys = st.sampled_from(
    ["type", "user", "team", "channel", "container", "message", "view", "actions", "callback_id", "trigger_id"]
)


@given(
    kind=st.sampled_from(["block_actions", "view_submission", "view_closed", "shortcut", "message_action"]),
    extra=st.dictionaries(interaction_keys, json_values, max_size=5),
)
@hypothesis_settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_generated_signed_interactions_never_5xx(client, crew, kind, extra):
    payload = {"type": kind, "user": {"id": "UAGENT001", "team_id": "T1"}, **extra}
    body = interactivity_form_body(payload)
    response = _post(client, "interactivity", body, signed_headers(settings.SLACK_SIGNING_SECRET, body))
    assert response.status_code < 500


@given(
    event=st.dictionaries(
        st.sampled_from(["type", "user", "subtype", "channel", "ts", "thread_ts", "text", "bot_id", "tab", "team"]),
        json_values,
        max_size=6,
    ),
    event_type=st.sampled_from(["message", "app_home_opened", "reaction_added"]),
)
@hypothesis_settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_generated_signed_events_never_5xx(client, crew, event, event_type):
    response = _event(client, {"type": event_type, **event})
    assert response.status_code < 500


# --- replay inside the 5-minute window (L1) ----------------------------------------------
def test_a_replayed_command_acts_once(client, crew, make_ticket):
    ticket = make_ticket()
    body = slash_command_body(settings.SLACK_TICKET_COMMAND, f"comment {ticket.number} replayed comment", "UAGENT001")
    headers = signed_headers(settings.SLACK_SIGNING_SECRET, body)
    answers = [_post(client, "commands", body, headers) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert ticket.number in answers[0].json()["text"] and answers[1].content == b""
    assert Comment.objects.filter(ticket=ticket, body="replayed comment").count() == 1


@pytest.mark.postgres
def test_the_replay_guard_table_is_unlogged():
    """Its insert, paid by every signed request, then waits for no WAL flush (migration 0005)."""
    from django.db import connection

    from integrations.slack.inbound.models import SlackRequestNonce

    with connection.cursor() as cursor:
        cursor.execute("SELECT relpersistence FROM pg_class WHERE relname = %s", [SlackRequestNonce._meta.db_table])
        assert cursor.fetchone() == ("u",)


def _create_payload(title, view_id="VREPLAY001"):
    values = {"title": {"value": title}, "description": {"value": "재현"}}
    return view_submission_payload("tickets.create", values, "", "UREQUEST1", view_id=view_id)


def test_a_replayed_modal_submission_creates_one_ticket(client, crew):
    body = interactivity_form_body(_create_payload("REPLAY-TEST ticket"))
    headers = signed_headers(settings.SLACK_SIGNING_SECRET, body)
    for _ in range(3):
        assert _post(client, "interactivity", body, headers).status_code == 200
    assert Ticket.objects.filter(title="REPLAY-TEST ticket").count() == 1


def test_the_same_modal_resubmitted_after_a_timeout_creates_one_ticket(client, crew):
    payload = _create_payload("RETRY-TEST ticket")
    first = interactivity_form_body(payload)
    assert (
        _post(client, "interactivity", first, signed_headers(settings.SLACK_SIGNING_SECRET, first)).status_code == 200
    )
    payload["trigger_id"] = "another.trigger"  # a new request: new body, new signature
    again = interactivity_form_body(payload)
    stamp = int(time.time()) + 1
    headers = _headers(str(stamp), sign(settings.SLACK_SIGNING_SECRET, stamp, again))
    response = _post(client, "interactivity", again, headers)
    assert response.json() == {"response_action": "clear"}
    assert Ticket.objects.filter(title="RETRY-TEST ticket").count() == 1


def test_a_corrected_modal_goes_through_after_errors(client, crew):
    payload = _create_payload("")  # no title: the modal answers with errors
    body = interactivity_form_body(payload)
    answer = _post(client, "interactivity", body, signed_headers(settings.SLACK_SIGNING_SECRET, body)).json()
    assert answer["response_action"] == "errors"
    payload["view"]["state"]["values"]["title"]["value"]["value"] = "CORRECTED ticket"
    body = interactivity_form_body(payload)
    stamp = int(time.time()) + 1
    _post(client, "interactivity", body, _headers(str(stamp), sign(settings.SLACK_SIGNING_SECRET, stamp, body)))
    assert Ticket.objects.filter(title="CORRECTED ticket").count() == 1
