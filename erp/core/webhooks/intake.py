"""The intake steps of a webhook, in order, and the DRF view that runs them.

1. credentials in headers (token, Basic): refused (401) before anything is read;
2. the declared size: a malformed Content-Length is a 400, too large a body a 413;
3. the body is read; a signature (HMAC) is checked over its raw bytes (401): a source-wide
   secret (HmacAuth), or the secret of the sender the token named (``signature``);
4. the content type (415) and the JSON itself (400 with the parser's message);
5. the idempotency key, if the source has one: a repeat gets the first answer.

Every refusal is DRF's JSON error shape through erp.core.api.exception_handler:
``{"message": "..."}`` (plus ``"errors"`` for field errors), as for the rest of the API.
"""

import io
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import JSONParser
from rest_framework.utils.mediatypes import media_type_matches
from rest_framework.views import APIView

from .idempotency import IdempotencyKey, handle_once


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "payload_too_large"


@dataclass(frozen=True)
class WebhookSource:
    """One sender of webhooks and the rules its deliveries must meet.

    ``name`` is stable (it is stored with idempotency keys), e.g. ``"attendance.device"``.
    ``auth`` lists accepted credentials; the first one presented decides. ``max_body_bytes``
    should stay below DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB by default), past which Django
    itself refuses to read a body (answered 413 here as well).
    """

    name: str
    auth: tuple
    missing_credentials: str = _("Send this webhook's credentials.")
    max_body_bytes: int = 1024 * 1024
    content_types: tuple[str, ...] = ("application/json",)
    idempotency: IdempotencyKey | None = None
    # A PrincipalSignature: senders with their own secret must also sign (auth.py).
    signature: object = None


@dataclass(frozen=True)
class Delivery:
    source: WebhookSource
    principal: object  # whom the credentials stand for: a Device, a secret's setting name
    body: bytes
    payload: object  # the parsed JSON; None for an empty body
    key: str | None = None


def authenticate_headers(request, source: WebhookSource):
    """The principal from header credentials, or None when only a body signature can tell.

    Raises AuthenticationFailed for wrong credentials and NotAuthenticated when none were
    sent and the source accepts no signature either.
    """
    # Settle request.user before any refusal, as DRF does: a later read of it must not run
    # the authenticators again (and raise inside the error handling).
    request.user, request.auth = AnonymousUser(), None
    for authenticator in source.auth:
        result = authenticator.authenticate(request)
        if result is not None:
            request.user, request.auth = result
            return result[1]
    if not any(getattr(a, "needs_body", False) for a in source.auth):
        raise exceptions.NotAuthenticated(source.missing_credentials)
    return None


def declared_length(request) -> int:
    """The declared body size (0 when absent); a 400 when the header is malformed."""
    value = (request.META.get("CONTENT_LENGTH") or "").strip()
    if not value:
        return 0
    # Only plain digits: int() would also take "-5", "+5" or "1_000".
    if not (value.isascii() and value.isdigit()):
        raise exceptions.ParseError(_("The Content-Length header must be a whole number of bytes."))
    return int(value)


def receive(request, source: WebhookSource, principal=None) -> Delivery:
    """Steps 2–5 of the module docstring; ``principal`` is what the headers proved, if anything."""
    length = declared_length(request)
    if length > source.max_body_bytes:
        raise PayloadTooLarge()
    try:
        # Nothing to read without a declared length (WSGI gives no body then), and Django's own
        # reader would choke on a blank header.
        body = request.body if length else b""
    except RequestDataTooBig:
        raise PayloadTooLarge() from None
    if len(body) > source.max_body_bytes:
        raise PayloadTooLarge()
    if principal is None:
        principal = _verify_signature(request, source, body)
    elif source.signature is not None:
        source.signature.check(request, principal, body)
    payload = _parse(request, source, body)
    key = source.idempotency.key_for(request, payload) if source.idempotency else None
    return Delivery(source=source, principal=principal, body=body, payload=payload, key=key)


def _verify_signature(request, source, body):
    for authenticator in source.auth:
        if getattr(authenticator, "needs_body", False):
            principal = authenticator.verify(request, body)
            if principal is not None:
                request.user, request.auth = AnonymousUser(), principal
                return principal
    raise exceptions.NotAuthenticated(source.missing_credentials)


def _parse(request, source, body):
    # An empty body has no media type to refuse: the handler says what it expected (as DRF's
    # own parsing does for a zero Content-Length).
    if not body:
        return None
    content_type = request.META.get("CONTENT_TYPE", "")
    if not any(media_type_matches(allowed, content_type) for allowed in source.content_types):
        raise exceptions.UnsupportedMediaType(content_type)
    # DRF's parser: the same strict JSON (no NaN), charset handling and ParseError message
    # ("JSON parse error - ...") as every other endpoint of the API.
    context = {"encoding": request.encoding or settings.DEFAULT_CHARSET}
    return JSONParser().parse(io.BytesIO(body), content_type, context)


class JsonOnly(BaseContentNegotiation):
    """Content negotiation for a webhook that always answers JSON: the view's first renderer,
    without parsing the Accept header (senders are machines; DRF's negotiation is a measurable
    part of a small delivery's cost). Parsing stays with receive()."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class _JSONMediaType(JSONParser):
    def __init__(self, media_type: str):
        self.media_type = media_type


class WebhookView(APIView):
    """Base view of a webhook: set ``source`` and implement ``handle(request, delivery)``.

    ``handle`` returns a Response; with an idempotency key it runs inside one transaction
    together with storing its answer, and runs once per key (see idempotency.py). Document
    the endpoint with ``extend_schema_view(post=extend_schema(...))`` on the subclass.
    """

    source: WebhookSource
    permission_classes = ()
    # Senders authenticate with their own token/HMAC and are machines behind one address
    # (a device gateway): the per-IP anonymous API throttle does not fit them.
    throttle_classes = ()

    def get_authenticators(self):
        return list(self.source.auth)

    def get_parsers(self):
        # These name the accepted media types (OpenAPI, OPTIONS); receive() does the parsing,
        # after the size guard, so handlers read ``delivery.payload`` and not request.data.
        return [_JSONMediaType(media_type) for media_type in self.source.content_types]

    def perform_authentication(self, request):
        # Runs in initial(), before the method handler, as DRF authentication does: a request
        # without credentials is a 401 whatever its method or body.
        self.principal = authenticate_headers(request, self.source)

    def post(self, request, *args, **kwargs):
        delivery = receive(request, self.source, self.principal)
        if delivery.key is None:
            return self.handle(request, delivery)
        principal_id = getattr(delivery.principal, "pk", None)
        return handle_once(
            source=self.source.name,
            principal="" if principal_id is None else str(principal_id),
            key=delivery.key,
            body=delivery.body,
            timeout=self.source.idempotency.processing_timeout,
            handle=lambda: self._rendered(request, self.handle(request, delivery)),
        )

    def handle(self, request, delivery: Delivery):  # pragma: no cover - abstract
        raise NotImplementedError

    def _rendered(self, request, response):
        # The stored answer must be the bytes the sender got, so render it here.
        response = self.finalize_response(request, response)
        if hasattr(response, "render"):  # a DRF Response; a plain HttpResponse is bytes already
            response.render()
        return response
