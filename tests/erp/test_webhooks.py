"""erp.core.webhooks: authentication, size/type guards and JSON errors, on test-only sources.

Idempotency has its own file (test_webhook_idempotency.py); the device webhook, the first real
user, keeps its own tests in tests/attendance/test_device_api.py.
"""

import base64
import hashlib
import hmac
import json
from datetime import datetime

import pytest
from django.utils import timezone, translation

from erp.workcalendar.calendar import KST
from tests.erp import webhook_urls

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.erp.webhook_urls")]

SECRET = "s3cret-for-tests"
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=KST)


@pytest.fixture(autouse=True)
def _secrets(settings):
    webhook_urls.CALLS.clear()
    settings.TEST_WEBHOOK_TOKEN = "tok-1"
    settings.TEST_WEBHOOK_USER = "alertmanager"
    settings.TEST_WEBHOOK_PASSWORD = "pw-2"
    settings.TEST_WEBHOOK_SECRET = SECRET
    with translation.override("en"):
        yield


def post(client, url, body=b'{"a": 1}', content_type="application/json", **headers):
    if not isinstance(body, bytes):
        body = json.dumps(body).encode()
    return client.generic("POST", url, body, content_type=content_type, HTTP_ACCEPT_LANGUAGE="en", **headers)


def sign(body: bytes, secret=SECRET, prefix="sha256=") -> str:
    return prefix + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def basic(user, password) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


# --- tokens ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "headers",
    [{"HTTP_AUTHORIZATION": "Bearer tok-1"}, {"HTTP_X_TEST_TOKEN": "tok-1"}, {"HTTP_X_TEST_TOKEN": " tok-1 "}],
)
def test_a_shared_token_in_the_authorization_or_its_own_header(client, headers):
    response = post(client, "/hook/token", **headers)
    assert response.status_code == 201, response.content
    assert response.json()["principal"] == "TEST_WEBHOOK_TOKEN"


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_AUTHORIZATION": "Bearer tok-2"},
        {"HTTP_X_TEST_TOKEN": "tok-1x"},
        {"HTTP_X_TEST_TOKEN": "tok-"},
        {"HTTP_AUTHORIZATION": "Bearer 토큰"},
    ],
)
def test_a_wrong_token_is_a_401_with_a_message(client, headers):
    response = post(client, "/hook/token", **headers)
    assert response.status_code == 401
    assert response.json() == {"message": "Unknown or revoked token."}
    assert response["WWW-Authenticate"] == "Bearer"
    assert not webhook_urls.CALLS


@pytest.mark.parametrize("headers", [{}, {"HTTP_AUTHORIZATION": "Basic abc"}, {"HTTP_AUTHORIZATION": "Bearer "}])
def test_no_token_says_what_to_send(client, headers):
    response = post(client, "/hook/token", **headers)
    assert response.status_code == 401
    assert response.json() == {"message": "Send the test token."}


def test_an_unset_secret_refuses_everything(client, settings):
    settings.TEST_WEBHOOK_TOKEN = ""
    assert post(client, "/hook/token", HTTP_AUTHORIZATION="Bearer tok-1").status_code == 401
    assert post(client, "/hook/token", HTTP_AUTHORIZATION="Bearer  ").status_code == 401


def test_a_secret_list_allows_rotation(client, settings):
    settings.TEST_WEBHOOK_TOKEN = ["tok-new", "tok-1"]
    assert post(client, "/hook/token", HTTP_AUTHORIZATION="Bearer tok-new").status_code == 201
    assert post(client, "/hook/token", HTTP_AUTHORIZATION="Bearer tok-1").status_code == 201
    assert post(client, "/hook/token", HTTP_AUTHORIZATION="Bearer tok-old").status_code == 401


def test_credentials_are_checked_before_the_method(client):
    """As with DRF authentication: no credentials is a 401 whatever the request."""
    assert client.get("/hook/token").status_code == 401
    assert client.get("/hook/token", HTTP_AUTHORIZATION="Bearer tok-1").status_code == 405


# --- Basic auth (Alertmanager, Grafana, Google Cloud) -----------------------------------------
def test_basic_credentials_or_a_bearer_token(client):
    assert post(client, "/hook/alerts", HTTP_AUTHORIZATION=basic("alertmanager", "pw-2")).status_code == 201
    assert post(client, "/hook/alerts", HTTP_AUTHORIZATION="Bearer tok-1").status_code == 201


@pytest.mark.parametrize(
    ("authorization", "message"),
    [
        (basic("alertmanager", "wrong"), "Wrong user name or password."),
        (basic("someone", "pw-2"), "Wrong user name or password."),
        ("Basic not-base64!", "Malformed Basic credentials."),
        ("Basic " + base64.b64encode(b"no-colon").decode(), "Malformed Basic credentials."),
        ("Basic " + base64.b64encode(b"\xff:\xfe").decode(), "Malformed Basic credentials."),
    ],
)
def test_wrong_basic_credentials_are_a_401(client, authorization, message):
    response = post(client, "/hook/alerts", HTTP_AUTHORIZATION=authorization)
    assert response.status_code == 401 and response.json()["message"] == message


def test_the_first_authenticator_names_the_challenge(client):
    response = post(client, "/hook/alerts")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Bearer"


# --- HMAC signatures ------------------------------------------------------------------------
def test_a_signed_body_is_accepted(client):
    body = b'{"alert": "disk full"}'
    response = post(client, "/hook/signed", body, HTTP_X_TEST_SIGNATURE=sign(body))
    assert response.status_code == 201
    assert response.json()["principal"] == "TEST_WEBHOOK_SECRET"
    upper_hex = "sha256=" + sign(body, prefix="").upper()
    assert post(client, "/hook/signed", body, HTTP_X_TEST_SIGNATURE=upper_hex).status_code == 201


@pytest.mark.parametrize(
    "signature",
    [
        sign(b'{"alert": "other"}'),
        sign(b'{"alert": "disk full"}', secret="other"),
        sign(b'{"alert": "disk full"}', prefix=""),  # the prefix is part of the format
        "sha256=zz",
        "sha256=서명",
    ],
)
def test_a_wrong_signature_is_a_401(client, signature):
    response = post(client, "/hook/signed", b'{"alert": "disk full"}', HTTP_X_TEST_SIGNATURE=signature)
    assert response.status_code == 401
    assert response.json() == {"message": "The signature is not valid."}
    assert not webhook_urls.CALLS


def test_an_unsigned_body_says_what_to_send(client):
    response = post(client, "/hook/signed")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "HMAC-SHA256"
    assert response.json() == {"message": "Send this webhook's credentials."}


def test_a_base64_signature(client):
    body = b'{"a": 1}'
    signature = base64.b64encode(hmac.new(SECRET.encode(), body, hashlib.sha256).digest()).decode()
    assert post(client, "/hook/base64", body, HTTP_X_SIGNATURE=signature).status_code == 201
    assert post(client, "/hook/base64", body, HTTP_X_SIGNATURE=signature.lower()).status_code == 401


@pytest.fixture
def pinned(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return int(NOW.timestamp())


def grafana(client, body, stamp, signed_stamp=None):
    signed = f"{signed_stamp if signed_stamp is not None else stamp}:".encode() + body
    return post(
        client,
        "/hook/grafana",
        body,
        HTTP_X_GRAFANA_ALERTING_SIGNATURE=sign(signed, prefix=""),
        HTTP_X_GRAFANA_ALERTING_SIGNATURE_TIMESTAMP=str(stamp),
    )


@pytest.mark.parametrize("offset", [0, -300, 300, -5])
def test_a_timestamped_signature_within_the_window(client, pinned, offset):
    assert grafana(client, b'{"status": "firing"}', pinned + offset).status_code == 201


@pytest.mark.parametrize("offset", [-301, 301, -86400])
def test_a_timestamp_outside_the_window_is_refused(client, pinned, offset):
    response = grafana(client, b'{"status": "firing"}', pinned + offset)
    assert response.status_code == 401
    assert "current time" in response.json()["message"]


@pytest.mark.parametrize("stamp", ["", "abc", "1.5", "-5", "１２３"])
def test_a_malformed_timestamp_is_refused(client, pinned, stamp):
    response = grafana(client, b"{}", stamp)
    assert response.status_code == 401 and "Unix seconds" in response.json()["message"]


def test_the_timestamp_is_part_of_what_is_signed(client, pinned):
    response = grafana(client, b'{"status": "firing"}', pinned, signed_stamp=pinned - 1000)
    assert response.status_code == 401 and response.json()["message"] == "The signature is not valid."


# --- size, type and JSON ----------------------------------------------------------------------
TOKEN = {"HTTP_AUTHORIZATION": "Bearer tok-1"}


def test_a_body_over_the_limit_is_a_413(client):
    response = post(client, "/hook/token", {"text": "가" * 400}, **TOKEN)  # 1,200+ bytes > 1,024
    assert response.status_code == 413
    assert response.json() == {"message": "The request body is too large."}


def test_the_declared_size_is_checked_before_reading(client):
    response = post(client, "/hook/token", CONTENT_LENGTH=str(10**9), **TOKEN)
    assert response.status_code == 413


def test_credentials_come_before_the_size_check(client):
    assert post(client, "/hook/token", CONTENT_LENGTH=str(10**9)).status_code == 401


def test_a_signed_source_checks_the_size_before_the_signature(client):
    body = json.dumps({"text": "x" * 2000}).encode()
    assert post(client, "/hook/signed", body, HTTP_X_TEST_SIGNATURE="sha256=00").status_code == 413


@pytest.mark.parametrize("length", ["abc", "-5", "1e3", "+5", "1_000"])
def test_a_malformed_content_length_is_a_400(client, length):
    response = post(client, "/hook/token", CONTENT_LENGTH=length, **TOKEN)
    assert response.status_code == 400
    assert response.json() == {"message": "The Content-Length header must be a whole number of bytes."}


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml", ""])
def test_another_content_type_is_a_415(client, content_type):
    response = post(client, "/hook/token", content_type=content_type, **TOKEN)
    assert response.status_code == 415
    assert response.json()["message"] == f'Unsupported media type "{content_type}" in request.'


@pytest.mark.parametrize(
    ("url", "content_type"),
    [("/hook/token", "application/json; charset=utf-8"), ("/hook/signed", "application/vnd.test+json")],
)
def test_accepted_content_types(client, url, content_type):
    body = b'{"a": 1}'
    response = post(client, url, body, content_type=content_type, HTTP_X_TEST_SIGNATURE=sign(body), **TOKEN)
    assert response.status_code == 201


@pytest.mark.parametrize("body", [b'{"a": ', b"{'a': 1}", b'{"a": NaN}', b'{"a": "\xff"}', b"\xef\xbb\xbf"], ids=repr)
def test_malformed_json_is_a_400_saying_so(client, body):
    response = post(client, "/hook/token", body, **TOKEN)
    assert response.status_code == 400
    assert response.json()["message"].startswith("JSON parse error")
    assert not webhook_urls.CALLS


def test_an_empty_body_reaches_the_handler_as_none(client):
    response = post(client, "/hook/token", b"", **TOKEN)
    assert response.status_code == 400 and response.json() == {"message": "Send a JSON object."}
    assert webhook_urls.CALLS[0].payload is None


def test_the_handler_gets_the_raw_body_and_the_parsed_payload(client):
    body = '{"name": "김민준", "items": [1, 2]}'.encode()
    post(client, "/hook/token", body, **TOKEN)
    delivery = webhook_urls.CALLS[0]
    assert delivery.body == body and delivery.payload == {"name": "김민준", "items": [1, 2]}
    assert delivery.source is webhook_urls.TOKEN


def test_messages_are_korean_by_default(client):
    with translation.override("ko"):
        response = client.post("/hook/signed", b"{}", content_type="application/json")
        wrong = client.post("/hook/signed", b"{}", content_type="application/json", HTTP_X_TEST_SIGNATURE="sha256=00")
    assert response.json() == {"message": "이 웹훅의 인증 정보를 보내세요."}
    assert wrong.json() == {"message": "서명이 올바르지 않습니다."}
