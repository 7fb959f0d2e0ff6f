"""Handle a keyed webhook delivery once; answer its repeats with the first answer.

The protocol, per (source, sender, key), on erp.core.models.WebhookReceipt:

1. **Claim**: INSERT a ``processing`` row and commit it at once. Of two identical deliveries
   arriving together exactly one INSERT succeeds (the unique constraint decides, not a
   read-then-write race); the other reads the row:
   - ``done`` → the stored answer again, marked ``Idempotent-Replayed: true``;
   - ``processing`` → 409 with ``Retry-After`` (the first one is still at work);
   - another body under the same key → 422 (the sender reused a key by mistake).
2. **Handle** inside one transaction that first locks the claimed row, and store the answer in
   that same transaction: the domain writes and "done" commit together or not at all.
3. **Release** on an exception or a 5xx answer: the row is deleted, so the sender's retry is
   handled afresh (nothing was committed by the failed attempt).

A worker that dies mid-way leaves a ``processing`` row. A repeat may take it over once it is
older than ``processing_timeout`` and not locked (on PostgreSQL a live handler holds the row
lock, so even a slow one is never run twice; SQLite has no row locks and relies on the
timeout alone). Rows are deleted after RECEIPT_RETENTION by the nightly retention run (webhooks/retention.py).
"""

import hashlib
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError

from ..models import ReceiptState, WebhookReceipt

# Senders retry for hours at most (Alertmanager, website form queues); a week covers any replay.
RECEIPT_RETENTION = timedelta(days=7)
KEY_MAX_LENGTH = 200
REPLAYED_HEADER = "Idempotent-Replayed"


@dataclass(frozen=True)
class IdempotencyKey:
    """Where a source's deliveries carry their key: a header, a top-level JSON field, or both
    (the header wins). ``required`` refuses deliveries without one (400)."""

    header: str | None = "Idempotency-Key"
    field: str | None = None
    required: bool = False
    processing_timeout: timedelta = timedelta(minutes=5)

    def key_for(self, request, payload) -> str | None:
        value = request.META.get("HTTP_" + self.header.upper().replace("-", "_")) if self.header else None
        if not value and self.field and isinstance(payload, dict):
            value = payload.get(self.field)
            value = str(value) if isinstance(value, str | int) and not isinstance(value, bool) else value
        if value in (None, ""):
            if self.required:
                raise ValidationError({self.header or self.field: [self._missing_message()]})
            return None
        if not (isinstance(value, str) and len(value) <= KEY_MAX_LENGTH and value.isascii() and value.isprintable()):
            message = _("The idempotency key must be 1 to %(max)d printable ASCII characters.")
            raise ValidationError({self.header or self.field: [message % {"max": KEY_MAX_LENGTH}]})
        return value

    def _missing_message(self):
        if self.header:
            return _("Send the %(header)s header: one unique key per delivery.") % {"header": self.header}
        return _('Send the "%(field)s" field: one unique key per delivery.') % {"field": self.field}


class DeliveryInProgress(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("A delivery with this idempotency key is still being processed; retry in a moment.")
    default_code = "delivery_in_progress"
    wait = 1  # DRF's exception handler turns this into Retry-After: 1


class KeyReused(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = _("This idempotency key was already used for a different body.")
    default_code = "idempotency_key_reused"


def handle_once(*, source: str, principal: str, key: str, body: bytes, timeout: timedelta, handle) -> HttpResponse:
    """``handle()`` (returning a rendered response) at most once per (source, principal, key)."""
    receipt, replay = _claim(source, principal, key, hashlib.sha256(body).hexdigest(), timeout)
    if replay is not None:
        return replay
    try:
        with transaction.atomic():
            mine = WebhookReceipt.objects.filter(pk=receipt.pk, claim=receipt.claim)
            # The lock, held until commit, tells a repeat that this handler is alive.
            if mine.select_for_update().first() is None:  # taken over after our timeout: it answers
                raise DeliveryInProgress()
            response = handle()
            if response.status_code >= 500:
                transaction.set_rollback(True)
            else:
                mine.update(
                    state=ReceiptState.DONE,
                    finished_at=timezone.now(),
                    status_code=response.status_code,
                    content_type=response.get("Content-Type", "")[:100],
                    response_body=response.content.decode(errors="replace"),
                )
    except BaseException:
        _release(receipt)
        raise
    if response.status_code >= 500:
        _release(receipt)
    return response


def _claim(source, principal, key, digest, timeout):
    lookup = {"source": source, "principal": principal, "key": key}
    # A second round only when the row we collided with was released in between.
    for _round in range(2):
        try:
            with transaction.atomic():
                receipt = WebhookReceipt.objects.create(
                    **lookup, body_sha256=digest, claim=uuid.uuid4(), claimed_at=timezone.now()
                )
            return receipt, None
        except IntegrityError:
            existing = WebhookReceipt.objects.filter(**lookup).first()
        if existing is None:
            continue
        if existing.body_sha256 != digest:
            raise KeyReused()
        if existing.state == ReceiptState.DONE:
            WebhookReceipt.objects.filter(pk=existing.pk).update(duplicates=F("duplicates") + 1)
            return None, _replay(existing)
        taken = _take_over(existing, timeout)
        if taken is None:
            raise DeliveryInProgress()
        return taken, None
    raise DeliveryInProgress()


def _take_over(existing: WebhookReceipt, timeout: timedelta) -> WebhookReceipt | None:
    """Claim a stale ``processing`` row whose handler is gone, or None."""
    now = timezone.now()
    try:
        with transaction.atomic():
            row = (
                WebhookReceipt.objects.select_for_update(nowait=True)
                .filter(pk=existing.pk, state=ReceiptState.PROCESSING, claimed_at__lt=now - timeout)
                .first()
            )
            if row is None:
                return None
            row.claim, row.claimed_at = uuid.uuid4(), now
            row.save(update_fields=["claim", "claimed_at"])
            return row
    except DatabaseError:  # the row is locked: its handler is alive, only slow
        return None


def _release(receipt: WebhookReceipt) -> None:
    WebhookReceipt.objects.filter(pk=receipt.pk, claim=receipt.claim).delete()


def _replay(receipt: WebhookReceipt) -> HttpResponse:
    response = HttpResponse(receipt.response_body, status=receipt.status_code, content_type=receipt.content_type)
    response[REPLAYED_HEADER] = "true"
    return response
