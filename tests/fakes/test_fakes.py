"""Tests for the Slack stand-ins, driven through the genuine slack_sdk client.

They run without Django: the fakes must be trustworthy before portal tests
rely on them.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.error import URLError
from urllib.parse import parse_qs

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier

from .slack_api import DEFAULT_IDENTITY, DEFAULT_TOKEN, FAULT_ERROR, FAULT_RATELIMITED, FakeSlackAPI
from .slack_signing import (
    block_actions_payload,
    checkboxes,
    interactivity_form_body,
    modal_view,
    sign,
    signed_headers,
    signed_http_headers,
    slash_command_body,
    static_select,
    users_select,
    view_submission_payload,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


@pytest.fixture(scope="module")
def server():
    with FakeSlackAPI() as fake:
        yield fake


@pytest.fixture
def fake(server):
    server.reset()
    return server


def client_for(fake: FakeSlackAPI, token: str = DEFAULT_TOKEN, **kwargs) -> WebClient:
    """A real WebClient without retry handlers, so each fault is seen exactly once."""
    return WebClient(token=token, base_url=fake.base_url, retry_handlers=[], **kwargs)


def slack_error_of(call) -> SlackApiError:
    with pytest.raises(SlackApiError) as caught:
        call()
    return caught.value


# --------------------------------------------------------------------------
# Web API stand-in
# --------------------------------------------------------------------------


def test_post_message_then_update_modifies_stored_message(fake):
    client = client_for(fake)
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Incident*"}}]

    posted = client.chat_postMessage(channel="C123", text="Incident", blocks=blocks)
    updated = client.chat_update(channel="C123", ts=posted["ts"], text="Resolved")

    assert posted["channel"] == "C123"
    assert posted["message"]["blocks"] == blocks
    assert updated["ts"] == posted["ts"]
    [stored] = fake.messages["C123"]
    assert stored["text"] == "Resolved"
    assert stored["blocks"] == blocks  # omitted blocks are kept, as in Slack
    assert [c.method for c in fake.calls] == ["chat.postMessage", "chat.update"]


def test_timestamps_are_unique_and_increasing(fake):
    client = client_for(fake)
    stamps = [client.chat_postMessage(channel="C1", text=str(i))["ts"] for i in range(3)]
    assert stamps[0] == "1700000000.000100"
    assert stamps == sorted(stamps, key=float)
    assert len(set(stamps)) == 3


def test_update_of_unknown_message_fails(fake):
    error = slack_error_of(lambda: client_for(fake).chat_update(channel="C1", ts="1.2", text="x"))
    assert error.response["error"] == "message_not_found"


def test_form_encoded_json_fields_are_decoded(fake):
    blocks = [{"type": "divider"}]
    client_for(fake).api_call(
        "chat.postMessage",
        params={"channel": "C9", "text": "[not json]", "blocks": json.dumps(blocks)},
    )
    [call] = fake.calls_to("chat.postMessage")
    assert call.args["blocks"] == blocks
    assert call.args["text"] == "[not json]"
    assert call.headers["content-type"] == "application/x-www-form-urlencoded"


def test_post_to_user_id_lands_in_dm_channel(fake):
    client = client_for(fake)
    posted = client.chat_postMessage(channel="U777", text="hello")
    opened = client.conversations_open(users="U777")

    assert posted["channel"].startswith("D")
    assert opened["channel"]["id"] == posted["channel"]
    assert fake.messages[posted["channel"]][0]["text"] == "hello"


def test_wrong_or_missing_token_is_invalid_auth(fake):
    for token in ("xoxb-wrong", None):
        error = slack_error_of(lambda t=token: client_for(fake, token=t).auth_test())
        assert error.response.status_code == 200
        assert error.response["error"] == "invalid_auth"


def test_auth_test_reports_bot_identity(fake):
    response = client_for(fake).auth_test()
    assert response["user_id"] == fake.identity.bot_user_id
    assert response["bot_id"] == fake.identity.bot_id
    assert response["team_id"] == fake.identity.team_id


def test_fail_next_raises_slack_api_error_once(fake):
    client = client_for(fake)
    fake.fail_next("chat.postMessage", error="channel_not_found")

    error = slack_error_of(lambda: client.chat_postMessage(channel="C1", text="x"))
    assert error.response["error"] == "channel_not_found"
    assert client.chat_postMessage(channel="C1", text="x")["ok"]
    assert [c.fault for c in fake.calls_to("chat.postMessage")] == [FAULT_ERROR, None]


def test_channel_scoped_faults_only_hit_that_channel(fake):
    client = client_for(fake)
    fake.fail_next("chat.postMessage", error="is_archived", channel="C2")

    assert client.chat_postMessage(channel="C1", text="x")["ok"]
    error = slack_error_of(lambda: client.chat_postMessage(channel="C2", text="x"))
    assert error.response["error"] == "is_archived"


def test_rate_limit_answers_429_with_retry_after(fake):
    fake.rate_limit_next("chat.postMessage", retry_after=7)

    error = slack_error_of(lambda: client_for(fake).chat_postMessage(channel="C1", text="x"))
    assert error.response.status_code == 429
    assert error.response.headers["Retry-After"] == "7"
    assert error.response["error"] == "ratelimited"
    assert fake.calls[-1].fault == FAULT_RATELIMITED


def test_server_error_answers_html_5xx(fake):
    fake.server_error_next("chat.postMessage", status=503, times=2)
    client = client_for(fake)

    for _ in range(2):
        error = slack_error_of(lambda: client.chat_postMessage(channel="C1", text="x"))
        assert error.response.status_code == 503
    assert client.chat_postMessage(channel="C1", text="x")["ok"]


def test_delay_provokes_client_timeout(fake):
    fake.delay_next("chat.postMessage", seconds=3)
    client = client_for(fake, timeout=0.3)

    started = time.monotonic()
    with pytest.raises((TimeoutError, URLError)):
        client.chat_postMessage(channel="C1", text="slow")
    assert time.monotonic() - started < 2
    assert fake.calls[-1].fault == "delay"


def test_enforced_rate_limit_is_per_channel(fake):
    fake.enforce_rate_limit(per_channel_per_second=1.0, burst=2)
    client = client_for(fake)

    assert client.chat_postMessage(channel="C1", text="1")["ok"]
    assert client.chat_postMessage(channel="C1", text="2")["ok"]
    error = slack_error_of(lambda: client.chat_postMessage(channel="C1", text="3"))
    assert error.response.status_code == 429
    assert int(error.response.headers["Retry-After"]) >= 1
    assert client.chat_postMessage(channel="C2", text="other channel")["ok"]


def test_seeded_fault_profile_is_reproducible(fake):
    def outcomes() -> list[str | None]:
        fake.reset()
        fake.set_fault_profile(rate_5xx=0.3, rate_429=0.3, seed=42)
        for _ in range(20):
            try:
                client_for(fake).auth_test()
            except SlackApiError:
                pass
        return [call.fault for call in fake.calls]

    first = outcomes()
    assert first == outcomes()
    assert {"server_error", "ratelimited", None} <= set(first)


def test_users_lookup_by_email(fake):
    fake.add_user("Ada@Example.com", "U100", name="ada", is_restricted=True)
    client = client_for(fake)

    user = client.users_lookupByEmail(email="ada@example.com")["user"]
    assert (user["id"], user["name"], user["is_restricted"]) == ("U100", "ada", True)
    assert client.users_info(user="U100")["user"]["profile"]["email"] == "Ada@Example.com"
    error = slack_error_of(lambda: client.users_lookupByEmail(email="nobody@example.com"))
    assert error.response["error"] == "users_not_found"


def test_conversation_lifecycle(fake):
    client = client_for(fake)
    channel = client.conversations_create(name="inc-42")["channel"]

    assert channel["id"].startswith("C")
    client.conversations_invite(channel=channel["id"], users="U1,U2")
    taken = slack_error_of(lambda: client.conversations_create(name="inc-42"))
    invalid = slack_error_of(lambda: client.conversations_create(name="Inc 42"))
    assert taken.response["error"] == "name_taken"
    assert invalid.response["error"] == "invalid_name_specials"
    assert {"U1", "U2"} <= set(fake.channels[channel["id"]]["members"])

    ts = client.chat_postMessage(channel=channel["id"], text="pin me")["ts"]
    client.pins_add(channel=channel["id"], timestamp=ts)
    assert fake.pins[channel["id"]] == [ts]
    assert client.chat_getPermalink(channel=channel["id"], message_ts=ts)["permalink"]


def test_views_open_and_update(fake):
    client = client_for(fake)
    view = {
        "type": "modal",
        "callback_id": "new_incident",
        "title": {"type": "plain_text", "text": "New"},
        "blocks": [],
    }

    opened = client.views_open(trigger_id="1.2.abc", view=view)["view"]
    updated = client.views_update(view_id=opened["id"], view={**view, "callback_id": "edited"})["view"]
    assert updated["id"] == opened["id"]
    assert fake.views[opened["id"]]["callback_id"] == "edited"
    error = slack_error_of(lambda: client.views_update(view_id="VNOPE", view=view))
    assert error.response["error"] == "not_found"


def test_unknown_methods_are_refused_as_slack_does_and_recorded(fake):
    error = slack_error_of(lambda: client_for(fake).api_call("reactions.add", params={"name": "eyes"}))
    assert error.response.status_code == 200
    assert error.response["error"] == "unknown_method"
    assert error.response["req_method"] == "reactions.add"
    assert fake.calls_to("reactions.add")[0].args == {"name": "eyes"}
    [rejection] = fake.take_rejections()
    assert (rejection.method, rejection.error) == ("reactions.add", "unknown_method")
    assert fake.rejections == []


def test_unknown_method_is_refused_before_authentication(fake):
    error = slack_error_of(lambda: client_for(fake, token="xoxb-wrong").api_call("no.such"))
    assert error.response["error"] == "unknown_method"


@pytest.mark.parametrize(
    ("method", "params", "expected"),
    [
        ("chat.postMessage", {"text": "x"}, "channel_not_found"),
        ("chat.postMessage", {"channel": "C1"}, "no_text"),
        ("chat.postMessage", {"channel": "C1", "text": "가" * 40_001}, "msg_too_long"),
        ("chat.postMessage", {"channel": "C1", "blocks": "not json"}, "invalid_blocks_format"),
        ("chat.update", {"channel": "C1", "text": "x"}, "message_not_found"),
        ("chat.postEphemeral", {"channel": "C1", "text": "x"}, "user_not_in_channel"),
        ("chat.getPermalink", {"channel": "C1"}, "message_not_found"),
        ("conversations.create", {}, "invalid_name_required"),
        ("conversations.invite", {"channel": "C1"}, "no_user"),
        ("conversations.join", {}, "channel_not_found"),
        ("conversations.open", {}, "users_list_not_supplied"),
        ("pins.add", {"channel": "C1"}, "no_item_specified"),
        ("views.open", {"view": {"type": "modal"}}, "invalid_arguments"),
        ("views.open", {"trigger_id": "not-a-trigger", "view": {"type": "modal"}}, "invalid_trigger_id"),
        ("views.update", {"view": {"type": "modal"}}, "invalid_arguments"),
        ("views.publish", {"view": {"type": "home", "blocks": []}}, "invalid_arguments"),
        ("users.lookupByEmail", {}, "invalid_arguments"),
        ("users.info", {}, "user_not_found"),
    ],
)
def test_missing_or_malformed_arguments_get_slacks_documented_error(fake, method, params, expected):
    error = slack_error_of(lambda: client_for(fake).api_call(method, json=params))
    assert error.response["error"] == expected
    [rejection] = fake.take_rejections()
    assert rejection.error == expected


def test_missing_argument_is_explained_in_response_metadata(fake):
    error = slack_error_of(lambda: client_for(fake).users_lookupByEmail(email=""))
    assert error.response["response_metadata"]["messages"] == ["[ERROR] missing required field: email"]
    fake.take_rejections()


def test_invalid_blocks_are_refused_with_slacks_explanation(fake):
    blocks = [{"type": "header", "text": {"type": "plain_text", "text": "제" * 151}}]
    error = slack_error_of(lambda: client_for(fake).chat_postMessage(channel="C1", text="t", blocks=blocks))
    problem = "must be less than 151 characters [json-pointer:/blocks/0/text/text]"
    assert error.response["error"] == "invalid_blocks"
    assert error.response["errors"] == [problem]
    assert error.response["response_metadata"]["messages"] == [f"[ERROR] {problem}"]
    assert "C1" not in fake.messages  # nothing was posted
    [rejection] = fake.take_rejections()
    assert str(rejection) == f"chat.postMessage: invalid_blocks {problem}"


def test_invalid_view_is_refused_as_invalid_arguments(fake):
    view = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "스물다섯 글자가 넘는 아주 긴 모달 제목입니다 정말로요"},
        "blocks": [],
    }
    error = slack_error_of(lambda: client_for(fake).views_open(trigger_id="1.2.abc", view=view))
    assert error.response["error"] == "invalid_arguments"
    assert error.response["response_metadata"]["messages"] == [
        "[ERROR] must be less than 25 characters [json-pointer:/view/title/text]"
    ]
    assert fake.views == {}
    fake.take_rejections()


def test_state_errors_are_not_rejections(fake):
    slack_error_of(lambda: client_for(fake).chat_update(channel="C1", ts="1.2", text="x"))
    fake.fail_next("chat.postMessage", error="invalid_blocks")
    slack_error_of(lambda: client_for(fake).chat_postMessage(channel="C1", text="x"))
    assert fake.rejections == []


def post_json(url: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_response_url_takes_messages_without_a_token_and_checks_them(fake):
    url = fake.new_response_url()
    assert post_json(url, {"text": "처리했습니다", "replace_original": True}) == (200, {"ok": True})
    assert post_json(url, {"delete_original": True})[0] == 200
    status, body = post_json(url, {"blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": ""}}]})
    assert (status, body["error"]) == (400, "invalid_blocks")
    assert body["errors"] == ["must be more than 0 characters [json-pointer:/blocks/0/text/text]"]
    assert post_json(url, {"replace_original": True})[1]["error"] == "no_text"
    assert [r.error for r in fake.take_rejections()] == ["invalid_blocks", "no_text"]
    assert [c.method for c in fake.calls] == [url.rsplit("/api/", 1)[1]] * 4


def test_every_modelled_method_has_a_contract():
    from .slack_api.contract import METHODS
    from .slack_api.workspace import _Workspace

    assert set(_Workspace(DEFAULT_IDENTITY).handlers) == set(METHODS)


def test_standalone_process_serves_until_killed():
    command = [sys.executable, "-m", "tests.fakes.slack_api", "--port", "0", "--quiet"]
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True)
    try:
        base_url = process.stdout.readline().strip()
        assert base_url.startswith("http://127.0.0.1:")
        client = WebClient(token=DEFAULT_TOKEN, base_url=base_url, retry_handlers=[])
        assert client.auth_test()["ok"]
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


# --------------------------------------------------------------------------
# Signing and payload builders
# --------------------------------------------------------------------------

KNOWN_BODY = (
    b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow"
    b"&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner"
    b"&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com"
    b"%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
    b"&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
)


def test_sign_matches_slack_documented_example():
    expected = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
    assert sign(SECRET, 1531420618, KNOWN_BODY) == expected
    assert signed_headers(SECRET, KNOWN_BODY, timestamp=1531420618) == {
        "HTTP_X_SLACK_REQUEST_TIMESTAMP": "1531420618",
        "HTTP_X_SLACK_SIGNATURE": expected,
    }


def test_slack_sdk_verifier_accepts_our_signatures():
    body = slash_command_body("/incident", "declare db down", "U123")
    verifier = SignatureVerifier(SECRET)

    assert verifier.is_valid_request(body, signed_http_headers(SECRET, body))
    assert not verifier.is_valid_request(body + b"x", signed_http_headers(SECRET, body))
    assert not verifier.is_valid_request(body, signed_http_headers("other-secret", body))


def test_slash_command_body_has_all_documented_fields():
    fields = parse_qs(slash_command_body("/incident", "hello", "U123").decode(), keep_blank_values=True)
    expected = set(
        "token team_id team_domain enterprise_id enterprise_name channel_id channel_name user_id user_name"
        " command text response_url trigger_id api_app_id is_enterprise_install".split()
    )
    assert set(fields) == expected
    assert fields["command"] == ["/incident"]
    assert fields["user_id"] == ["U123"]


def test_view_submission_state_values_shape():
    values = {
        "title": {"title_input": "DB down"},
        "notes": {"notes_input": None},
        "severity": {"severity_select": static_select("sev1", "SEV 1")},
        "lead": {"lead_select": users_select("U5")},
        "flags": {"flags_boxes": checkboxes(["public"])},
    }
    payload = view_submission_payload("new_incident", values, private_metadata="42", user_id="U9")
    state = payload["view"]["state"]["values"]

    assert payload["type"] == "view_submission"
    assert payload["view"]["private_metadata"] == "42"
    assert state["title"]["title_input"] == {"type": "plain_text_input", "value": "DB down"}
    assert state["notes"]["notes_input"]["value"] is None
    assert state["severity"]["severity_select"]["selected_option"]["value"] == "sev1"
    assert state["lead"]["lead_select"]["selected_user"] == "U5"
    assert state["flags"]["flags_boxes"]["selected_options"][0]["value"] == "public"


def test_block_actions_from_message_and_from_modal():
    from_message = block_actions_payload("ack", "incident-7", channel_id="C5", message_ts="1.000200")
    view = modal_view("edit_incident", private_metadata="7")
    from_modal = block_actions_payload("severity", selected_option="sev2", view=view)

    assert from_message["container"] == {
        "type": "message",
        "message_ts": "1.000200",
        "channel_id": "C5",
        "is_ephemeral": False,
    }
    assert from_message["actions"][0]["value"] == "incident-7"
    assert from_modal["container"] == {"type": "view", "view_id": view["id"]}
    assert from_modal["actions"][0]["selected_option"]["value"] == "sev2"
    assert from_modal["view"]["private_metadata"] == "7"


def test_interactivity_form_body_round_trips():
    payload = block_actions_payload("ack", "1")
    body = interactivity_form_body(payload)
    assert json.loads(parse_qs(body.decode())["payload"][0]) == payload
