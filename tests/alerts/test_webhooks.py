"""Each webhook shape firing then resolved, per-source secrets, repeats, bad input."""

import base64
import hashlib
import hmac
import json
import time

import pytest
from rest_framework.test import APIClient

from alerts.models import AlertGroup, GroupState, Item, ItemKind, Shape, WebhookAuth

from . import payloads
from .conftest import webhook_source


def url(source):
    return f"/api/alerts/hooks/{source.token}/"


def send(source, body, *, client=None, raw=None, **headers):
    client = client or APIClient()
    data = raw if raw is not None else json.dumps(body)
    return client.post(url(source), data=data, content_type=headers.pop("content_type", "application/json"), **headers)


BEARER = {"HTTP_AUTHORIZATION": "Bearer s3cret-value"}


def test_alertmanager_firing_then_resolved_is_one_group(prometheus):
    first = send(prometheus, payloads.alertmanager("firing"), **BEARER)
    assert first.status_code == 202, first.json()
    assert first.json() == {"stored": 1, "duplicates": 0, "groups": 1}
    resolved = send(prometheus, payloads.alertmanager("resolved"), **BEARER)
    assert resolved.status_code == 202
    group = AlertGroup.objects.get()
    assert (group.state, group.count, group.severity) == (GroupState.RESOLVED, 2, "critical")
    assert group.key == '{}:{alertname="DiskFull"}'
    assert group.title == "web1 디스크 사용률 95%"


def test_a_repeated_delivery_is_idempotent(prometheus):
    send(prometheus, payloads.alertmanager(), **BEARER)
    again = send(prometheus, payloads.alertmanager(), **BEARER)
    assert again.json() == {"stored": 0, "duplicates": 1, "groups": 0}
    assert Item.objects.count() == 1


def test_a_mixed_notification_keeps_the_group_firing(prometheus):
    body = payloads.alertmanager("firing")
    resolved_one = dict(body["alerts"][0], status="resolved", fingerprint="0000aaaa", endsAt="2026-12-02T01:00:00Z")
    body["alerts"].insert(0, resolved_one)
    send(prometheus, body, **BEARER)
    assert AlertGroup.objects.get().state == GroupState.FIRING


def test_grafana_with_hmac_and_timestamp(team):
    source = webhook_source(
        "Grafana", Shape.GRAFANA, WebhookAuth.HMAC, team["infra"], hmac_timestamp_header="X-Grafana-Alerting-Timestamp"
    )
    for status in ("firing", "resolved"):
        body = json.dumps(payloads.grafana(status)).encode()
        stamp = str(int(time.time()))
        signature = hmac.new(b"s3cret-value", stamp.encode() + b":" + body, hashlib.sha256).hexdigest()
        response = send(
            source,
            None,
            raw=body,
            HTTP_X_GRAFANA_ALERTING_SIGNATURE=signature,
            HTTP_X_GRAFANA_ALERTING_TIMESTAMP=stamp,
        )
        assert response.status_code == 202, response.json()
    assert AlertGroup.objects.get().state == GroupState.RESOLVED
    forged = send(
        source,
        payloads.grafana(),
        HTTP_X_GRAFANA_ALERTING_SIGNATURE="00" * 32,
        HTTP_X_GRAFANA_ALERTING_TIMESTAMP=str(int(time.time())),
    )
    assert forged.status_code == 401


def test_google_cloud_with_the_token_in_the_url(team):
    source = webhook_source("GCP", Shape.GOOGLE_CLOUD, WebhookAuth.URL_TOKEN, team["infra"], secret="")
    assert send(source, payloads.google_cloud("open")).status_code == 202
    assert send(source, payloads.google_cloud("closed")).status_code == 202
    group = AlertGroup.objects.get()
    assert (group.key, group.state, group.severity) == ("gcp:0.opqiw61fsv7p", GroupState.RESOLVED, "error")
    assert group.url.startswith("https://console.cloud.google.com/")


def test_generic_shape_with_basic_auth(team):
    source = webhook_source("Backup", Shape.GENERIC, WebhookAuth.BASIC, team["infra"], username="backup")
    auth = {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(b"backup:s3cret-value").decode()}
    assert send(source, payloads.generic("firing"), **auth).status_code == 202
    assert send(source, payloads.generic("resolved"), **auth).status_code == 202
    group = AlertGroup.objects.get()
    assert (group.key, group.state, group.title) == ("backup:nightly", GroupState.RESOLVED, "야간 백업 실패")
    wrong = {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(b"backup:nope").decode()}
    assert send(source, payloads.generic(), **wrong).status_code == 401


@pytest.mark.parametrize(
    "headers, status",
    [({}, 401), ({"HTTP_AUTHORIZATION": "Bearer wrong"}, 401), ({"HTTP_AUTHORIZATION": "Bearer s3cret-value"}, 202)],
)
def test_secrets_are_per_source(prometheus, headers, status):
    assert send(prometheus, payloads.alertmanager(), **headers).status_code == status


@pytest.mark.parametrize("token", ["nope", "ab%00cd"])  # a NUL no database text can hold: 404, not a 500
def test_unknown_url_is_404_json(db, token):
    response = APIClient().post(f"/api/alerts/hooks/{token}/", data="{}", content_type="application/json")
    assert response.status_code == 404
    assert "message" in response.json()


def test_an_unknown_shape_is_stored_unparsed(prometheus):
    response = send(prometheus, {"hello": "world"}, **BEARER)
    assert response.status_code == 202
    assert response.json()["unparsed"] is True
    item = Item.objects.get()
    assert (item.kind, item.group) == (ItemKind.UNPARSED, None)
    assert json.loads(item.raw) == {"hello": "world"}
    assert send(prometheus, {"hello": "world"}, **BEARER).json()["duplicates"] == 1


@pytest.mark.parametrize(
    "raw, content_type, status",
    [
        ("{not json", "application/json", 400),
        ('{"a": 1}', "text/plain", 415),
        ("[1, 2, 3]", "application/json", 202),  # JSON, wrong shape: kept unparsed
        ('"just a string"', "application/json", 202),
    ],
)
def test_bad_bodies_get_clear_answers(prometheus, raw, content_type, status):
    response = send(prometheus, None, raw=raw, content_type=content_type, **BEARER)
    assert response.status_code == status
    assert response.json()


def test_too_large_a_body_is_413(prometheus, settings):
    settings.ALERTS_WEBHOOK_MAX_BYTES = 1000
    response = send(prometheus, None, raw=json.dumps({"x": "y" * 2000}), **BEARER)
    assert response.status_code == 413
