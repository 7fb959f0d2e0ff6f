"""Test-only webhook sources for tests/erp/test_webhooks*.py (mounted with pytest.mark.urls).

The handler records each call, writes a Department (to see rollbacks), and fails on demand:
``{"fail": "exception" | "500" | "400"}``.
"""

from datetime import timedelta

from django.urls import path
from rest_framework import serializers
from rest_framework.response import Response

from erp.core import webhooks
from erp.people.models import Department

CALLS: list = []


def department_by_token(token):
    """Per-sender tokens, like the devices': ``dept-<code>`` stands for that department."""
    return Department.objects.filter(code=token.removeprefix("dept-")).first() if token.startswith("dept-") else None


TOKEN = webhooks.WebhookSource(
    name="tests.token",
    auth=(webhooks.TokenAuth(webhooks.shared_token("TEST_WEBHOOK_TOKEN"), headers=("X-Test-Token",)),),
    missing_credentials="Send the test token.",
    max_body_bytes=1024,
    idempotency=webhooks.IdempotencyKey(header="Idempotency-Key", field="submission_id"),
)
ALERTS = webhooks.WebhookSource(
    name="tests.alerts",
    auth=(
        webhooks.TokenAuth(webhooks.shared_token("TEST_WEBHOOK_TOKEN")),
        webhooks.BasicAuth(webhooks.shared_basic("TEST_WEBHOOK_USER", "TEST_WEBHOOK_PASSWORD")),
    ),
)
SIGNED = webhooks.WebhookSource(
    name="tests.signed",
    auth=(webhooks.HmacAuth("TEST_WEBHOOK_SECRET", header="X-Test-Signature", prefix="sha256="),),
    max_body_bytes=1024,
    content_types=("application/json", "application/vnd.test+json"),
)
GRAFANA = webhooks.WebhookSource(
    name="tests.grafana",
    auth=(
        webhooks.HmacAuth(
            "TEST_WEBHOOK_SECRET",
            header="X-Grafana-Alerting-Signature",
            timestamp_header="X-Grafana-Alerting-Signature-Timestamp",
        ),
    ),
)
BASE64_SIGNED = webhooks.WebhookSource(
    name="tests.base64",
    auth=(webhooks.HmacAuth("TEST_WEBHOOK_SECRET", header="X-Signature", encoding="base64"),),
)
PER_SENDER = webhooks.WebhookSource(
    name="tests.per_sender",
    auth=(webhooks.TokenAuth(department_by_token, scheme="Dept"),),
    idempotency=webhooks.IdempotencyKey(required=True, processing_timeout=timedelta(minutes=5)),
)


class RecordingHook(webhooks.WebhookView):
    def handle(self, request, delivery):
        CALLS.append(delivery)
        payload = delivery.payload
        if not isinstance(payload, dict):
            return Response({"message": "Send a JSON object."}, status=400)
        fail = payload.get("fail")
        if fail == "400":
            raise serializers.ValidationError({"fail": ["asked to fail"]})
        Department.objects.create(name=f"부서 {len(CALLS)}", code=f"hook-{len(CALLS)}")
        if fail == "exception":
            raise RuntimeError("handler crashed")
        if fail == "500":
            return Response({"message": "try later"}, status=503)
        return Response({"call": len(CALLS), "principal": str(delivery.principal), "key": delivery.key}, status=201)


def hook(source):
    return type(f"Hook_{source.name}", (RecordingHook,), {"source": source}).as_view()


urlpatterns = [
    path("hook/token", hook(TOKEN)),
    path("hook/alerts", hook(ALERTS)),
    path("hook/signed", hook(SIGNED)),
    path("hook/grafana", hook(GRAFANA)),
    path("hook/base64", hook(BASE64_SIGNED)),
    path("hook/per-sender", hook(PER_SENDER)),
]
