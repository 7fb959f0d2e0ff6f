"""Signature checks on every endpoint: 401 for anything Slack did not sign just now."""

import json
import math
import time

import pytest
from django.conf import settings
from django.test import Client

from tests.fakes.slack_signing import (
    event_callback_body,
    interactivity_form_body,
    shortcut_payload,
    sign,
    signed_headers,
    slash_command_body,
    url_verification_body,
)

from .conftest import URLS

FORM = "application/x-www-form-urlencoded"
BODIES = {
    "commands": (lambda: slash_command_body("/fs", "help", "UNOBODY01"), FORM),
    "interactivity": (lambda: interactivity_form_body(shortcut_payload("nothing.routed")), FORM),
    "options": (lambda: interactivity_form_body(shortcut_payload("nothing.routed")), FORM),
    "events": (lambda: url_verification_body("abc"), "application/json"),
}
ENDPOINTS = list(BODIES)


def _post(client, endpoint, body, headers, content_type=None):
    return client.post(URLS[endpoint], data=body, content_type=content_type or BODIES[endpoint][1], **headers)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_tampered_body_is_refused(client, db, endpoint):
    body = BODIES[endpoint][0]()
    headers = signed_headers(settings.SLACK_SIGNING_SECRET, body)
    response = _post(client, endpoint, body + b"&x=1", headers)
    assert response.status_code == 401


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_wrong_secret_is_refused(client, db, endpoint):
    body = BODIES[endpoint][0]()
    response = _post(client, endpoint, body, signed_headers("not-the-secret", body))
    assert response.status_code == 401


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("offset", [-301, 301, -3600, 86400])
def test_stale_and_future_timestamps_are_refused(client, db, endpoint, offset):
    body = BODIES[endpoint][0]()
    # Round away from now: int() would let a future stamp drift inside the ±300 s window
    # once the request reaches the verifier a fraction of a second later.
    now = time.time()
    stamp = (math.ceil(now) if offset > 0 else math.floor(now)) + offset
    response = _post(client, endpoint, body, signed_headers(settings.SLACK_SIGNING_SECRET, body, stamp))
    assert response.status_code == 401


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("missing", ["HTTP_X_SLACK_SIGNATURE", "HTTP_X_SLACK_REQUEST_TIMESTAMP", "both"])
def test_missing_headers_are_refused(client, db, endpoint, missing):
    body = BODIES[endpoint][0]()
    headers = signed_headers(settings.SLACK_SIGNING_SECRET, body)
    if missing == "both":
        headers = {}
    else:
        headers.pop(missing)
    assert _post(client, endpoint, body, headers).status_code == 401


def test_malformed_timestamp_is_refused(client, db):
    body = url_verification_body("abc")
    headers = {"HTTP_X_SLACK_REQUEST_TIMESTAMP": "soon", "HTTP_X_SLACK_SIGNATURE": sign("x", "1", body)}
    assert _post(client, "events", body, headers).status_code == 401


def test_signature_within_the_window_is_accepted(client, db):
    body = url_verification_body("challenge-123")
    stamp = int(time.time()) - 290
    response = _post(client, "events", body, signed_headers(settings.SLACK_SIGNING_SECRET, body, stamp))
    assert response.status_code == 200
    assert response.json() == {"challenge": "challenge-123"}


def test_no_signing_secret_answers_503_with_a_message(client, db, settings):
    settings.SLACK_SIGNING_SECRET = ""
    body = url_verification_body("abc")
    response = _post(client, "events", body, signed_headers("anything", body))
    assert response.status_code == 503
    assert "SLACK_SIGNING_SECRET" in response.json()["message"]


def test_only_post_is_allowed(client, db):
    assert client.get(URLS["commands"]).status_code == 405


def test_endpoints_are_csrf_exempt_but_portal_forms_are_not(db):
    strict = Client(enforce_csrf_checks=True)
    body = url_verification_body("abc")
    response = strict.post(
        URLS["events"],
        data=body,
        content_type="application/json",
        **signed_headers(settings.SLACK_SIGNING_SECRET, body),
    )
    assert response.status_code == 200
    assert strict.post("/accounts/login/", {"username": "x", "password": "y"}).status_code == 403


def test_ssl_check_is_answered_empty(client, db):
    body = b"ssl_check=1&token=fake-verification-token"
    response = _post(client, "commands", body, signed_headers(settings.SLACK_SIGNING_SECRET, body))
    assert response.status_code == 200
    assert response.content == b""


def test_url_verification_returns_the_challenge(client, db):
    body = url_verification_body("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P")
    response = _post(client, "events", body, signed_headers(settings.SLACK_SIGNING_SECRET, body))
    assert response.json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}


def test_signed_garbage_is_a_400_not_a_500(client, db):
    body = b"payload=not-json"
    response = _post(client, "interactivity", body, signed_headers(settings.SLACK_SIGNING_SECRET, body))
    assert response.status_code == 400
    body = b"[1, 2]"
    response = _post(client, "events", body, signed_headers(settings.SLACK_SIGNING_SECRET, body), "application/json")
    assert response.status_code == 400


def test_unrouted_event_types_are_acknowledged(client, db):
    body = event_callback_body({"type": "reaction_added", "user": "U1", "reaction": "eyes"})
    response = _post(client, "events", body, signed_headers(settings.SLACK_SIGNING_SECRET, body))
    assert response.status_code == 200
    body = json.dumps({"type": "app_rate_limited", "minute_rate_limited": 1}).encode()
    assert _post(client, "events", body, signed_headers(settings.SLACK_SIGNING_SECRET, body)).status_code == 200
