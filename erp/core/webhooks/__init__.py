"""Webhook intake: one way for outside systems to post JSON to the portal.

A module declares a source and subclasses WebhookView; the kit authenticates, guards size and
content type, parses JSON with clear 4xx errors and, with an idempotency key, answers a
repeated delivery with the first answer instead of handling it twice::

    from erp.core import webhooks

    WEBSITE = webhooks.WebhookSource(
        name="inquiries.website",
        auth=(webhooks.TokenAuth(webhooks.shared_token("INQUIRY_WEBHOOK_TOKEN"), headers=("X-Webhook-Token",)),),
        max_body_bytes=64 * 1024,
        idempotency=webhooks.IdempotencyKey(header="Idempotency-Key", field="submission_id"),
    )

    class WebsiteInquiryWebhook(webhooks.WebhookView):
        source = WEBSITE

        def handle(self, request, delivery):
            # delivery.payload is the parsed JSON (None for an empty body: check its shape),
            # delivery.principal whom the credentials stand for (here "INQUIRY_WEBHOOK_TOKEN").
            inquiry = inquiry_receive(payload=delivery.payload)
            return Response({"id": inquiry.pk}, status=201)

Alert senders: Alertmanager sends ``Authorization: Bearer <credentials>`` or Basic auth
(``auth=(TokenAuth(shared_token(...)), BasicAuth(shared_basic(...)))``); Grafana can also sign
(``HmacAuth("GRAFANA_WEBHOOK_SECRET", header="X-Grafana-Alerting-Signature",
timestamp_header=...)``). Neither sends a delivery id, so their de-duplication belongs to the
domain (group key + fingerprint), not to IdempotencyKey.

The device punch webhook (attendance/api.py) is the first user; a device with a signing
secret must also sign each request (``signature=PrincipalSignature(...)``: the token names the
device, the device's own secret signs ``<timestamp>.<body>``).
"""

from .auth import BasicAuth, HmacAuth, PrincipalSignature, TokenAuth, shared_basic, shared_token
from .idempotency import RECEIPT_RETENTION, REPLAYED_HEADER, DeliveryInProgress, IdempotencyKey, KeyReused
from .intake import Delivery, JsonOnly, PayloadTooLarge, WebhookSource, WebhookView, authenticate_headers, receive

__all__ = [
    "RECEIPT_RETENTION",
    "REPLAYED_HEADER",
    "BasicAuth",
    "Delivery",
    "DeliveryInProgress",
    "HmacAuth",
    "IdempotencyKey",
    "JsonOnly",
    "KeyReused",
    "PayloadTooLarge",
    "PrincipalSignature",
    "TokenAuth",
    "WebhookSource",
    "WebhookView",
    "authenticate_headers",
    "receive",
    "shared_basic",
    "shared_token",
]
