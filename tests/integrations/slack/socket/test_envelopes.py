"""Envelope handling without the WebSocket: the same answers as HTTP, once per envelope_id."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from integrations.slack.inbound.models import SlackEventReceipt
from integrations.slack.socket import envelopes
from integrations.slack.socket.models import EnvelopeStatus, SocketEnvelope
from tests.fakes.slack_signing import block_actions_payload

from .conftest import command_payload, event_payload


def _envelope(kind, payload, envelope_id="env-1", **extra):
    accepts = kind == "slash_commands" or payload.get("type") == "view_submission"
    return {"type": kind, "envelope_id": envelope_id, "payload": payload, "accepts_response_payload": accepts, **extra}


def test_command_answer_is_the_http_answer(post, crew, django_capture_on_commit_callbacks):
    http = post.command("help", "UREQUEST1").json()
    with django_capture_on_commit_callbacks(execute=True):
        outcome = envelopes.handle(_envelope("slash_commands", command_payload("help", "UREQUEST1")))
    assert outcome.ack == {"envelope_id": "env-1", "payload": http}


def test_payload_only_where_the_envelope_accepts_it(crew):
    message = _envelope("slash_commands", command_payload("help", "UREQUEST1"))
    message["accepts_response_payload"] = False
    assert envelopes.handle(message).ack == {"envelope_id": "env-1"}


def test_second_delivery_replays_the_stored_answer(crew):
    message = _envelope("slash_commands", command_payload("help", "UREQUEST1"))
    first = envelopes.handle(message)
    again = envelopes.handle(message)
    assert again.duplicate and again.ack == first.ack
    assert SocketEnvelope.objects.get().duplicates == 1


def test_envelope_still_running_elsewhere_is_left_to_its_holder(crew):
    SocketEnvelope.objects.create(envelope_id="env-1", kind="slash_commands", handled_by="other:1")
    outcome = envelopes.handle(_envelope("slash_commands", command_payload("help", "UREQUEST1")))
    assert outcome.duplicate and outcome.ack is None


def test_claim_of_a_dead_process_is_taken_over(crew):
    SocketEnvelope.objects.create(envelope_id="env-1", kind="slash_commands", handled_by="dead:1")
    SocketEnvelope.objects.update(received_at=timezone.now() - timedelta(minutes=5))
    outcome = envelopes.handle(_envelope("slash_commands", command_payload("help", "UREQUEST1")), handled_by="me:2")
    assert outcome is not None
    assert SocketEnvelope.objects.get().handled_by == "me:2"


def test_failed_event_is_not_acked_and_can_come_again(crew, monkeypatch):
    from integrations.slack.inbound import dispatch

    def broken(event):
        raise RuntimeError("handler bug")

    monkeypatch.setitem(dispatch.events, "app_home_opened", broken)
    event = {"type": "app_home_opened", "user": "UAGENT001", "channel": "D1", "tab": "home", "event_ts": "1.2"}
    message = _envelope("events_api", event_payload(event, "EvFAIL0001"))
    assert envelopes.handle(message).ack is None  # Slack redelivers it
    assert not SocketEnvelope.objects.exists() and not SlackEventReceipt.objects.exists()
    monkeypatch.setitem(dispatch.events, "app_home_opened", lambda event: False)
    assert envelopes.handle(message).ack == {"envelope_id": "env-1"}


def test_block_action_refusal_goes_to_the_response_url(post, crew, django_capture_on_commit_callbacks):
    payload = block_actions_payload("tickets.assign_me", "1", user_id="USTRANGER")
    payload["response_url"] = post.response_url()
    with django_capture_on_commit_callbacks(execute=True):
        outcome = envelopes.handle(_envelope("interactive", payload))
    from integrations.slack.inbound.deferred import wait_deferred

    wait_deferred()
    assert outcome.ack == {"envelope_id": "env-1"}
    (body,) = post.response_posts()
    assert body["response_type"] == "ephemeral"


@pytest.mark.parametrize(
    "message",
    [
        {"type": "hello", "num_connections": 1},
        {"type": "slash_commands", "payload": {}},
        {"type": "slash_commands", "envelope_id": 12, "payload": {}},
        {"type": "slash_commands", "envelope_id": "x" * 65, "payload": {}},
    ],
)
def test_frames_without_a_usable_envelope_id_get_no_ack(db, message):
    assert envelopes.handle(message) is None


@pytest.mark.parametrize(
    "message",
    [
        {"type": "slash_commands", "envelope_id": "e1", "payload": "text"},
        {"type": "slash_commands", "envelope_id": "e1", "payload": {"text": "help"}},
        {"type": "interactive", "envelope_id": "e1", "payload": {"type": "block_actions"}},
        {"type": "events_api", "envelope_id": "e1", "payload": {"type": "event_callback"}},
        {"type": "events_api", "envelope_id": "e1", "payload": {"type": "app_rate_limited"}},
        {"type": "brand_new_kind", "envelope_id": "e1", "payload": {}},
    ],
)
def test_malformed_envelopes_are_acked_plainly(db, message):
    assert envelopes.handle(message).ack == {"envelope_id": "e1"}


def test_without_an_app_token_the_command_idles_harmlessly(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SLACK_APP_TOKEN"}
    env["DJANGO_SETTINGS_MODULE"] = "erp.settings.test"
    env["PYTHONUNBUFFERED"] = "1"
    process = subprocess.Popen(
        [sys.executable, "manage.py", "slack_socket"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    first_line = process.stdout.readline()  # printed once the signal handlers are in place
    assert b"SLACK_APP_TOKEN" in first_line
    time.sleep(0.5)
    assert process.poll() is None  # still there: honcho would stop everything if it exited
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=20)
    assert process.returncode == 0


def test_socket_mode_manifest_has_no_request_urls():
    import json
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("slack_manifest", "--socket-mode", stdout=out)
    manifest = json.loads(out.getvalue())
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert "http" not in json.dumps(manifest["settings"]) + json.dumps(manifest["features"]["slash_commands"])
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["settings"]["event_subscriptions"]["bot_events"]
    assert {command["command"] for command in manifest["features"]["slash_commands"]} >= {"/fs", "/attendance"}


def test_old_receipts_are_purged(db):
    from erp.core.retention import run_one

    SocketEnvelope.objects.create(envelope_id="old", kind="events_api", status=EnvelopeStatus.DONE)
    SocketEnvelope.objects.create(envelope_id="new", kind="events_api", status=EnvelopeStatus.DONE)
    SocketEnvelope.objects.filter(envelope_id="old").update(received_at=timezone.now() - timedelta(days=2))
    assert run_one("slack.socket_envelopes") == 1  # a policy of the nightly retention run
    assert list(SocketEnvelope.objects.values_list("envelope_id", flat=True)) == ["new"]
