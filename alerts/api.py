"""REST API of alerts (mounted at /api/alerts/).

Alert webhook — ``POST /api/alerts/hooks/<token>/``
---------------------------------------------------
Every webhook source (Admin → Alert sources) has its own URL holding its token, a body shape
and an authentication, as its sender supports them:

* ``url_token``: the URL alone (Google Cloud ``webhook_tokenauth``; keep the URL secret);
* ``basic``: HTTP Basic with the source's user name and secret (Alertmanager ``basic_auth``,
  Google Cloud ``webhook_basicauth``, Grafana);
* ``bearer``: ``Authorization: Bearer <secret>`` (Alertmanager ``authorization``, Grafana);
* ``hmac``: hex HMAC-SHA256 of the body with the secret in the source's signature header
  (Grafana: ``X-Grafana-Alerting-Signature``; with a timestamp header the signed text is
  ``<timestamp>:<body>`` and must be within 5 minutes).

Shapes: Alertmanager v4, Grafana, Google Cloud Monitoring 1.2, or the generic JSON shape::

    {"alerts": [{"id": "disk-full-web1",            # the sender's id of this alert (optional)
                 "key": "disk-full:web1",           # grouping key (default: the title)
                 "title": "디스크 사용률 95%",          # required
                 "status": "firing",                # or "resolved" (default firing)
                 "severity": "critical",            # critical | error | warning | info
                 "description": "...", "url": "https://...",
                 "occurred_at": "2026-11-20T09:02:11+09:00", "labels": {"host": "web1"}}]}

(a single alert object without the ``alerts`` list works too).

Answer ``202``: ``{"stored", "duplicates", "groups"}``; a repeated delivery stores nothing
again (``duplicates`` counts it). JSON of another shape is kept as an "unparsed" item (the
answer says so, with the reason) so nothing sent is lost. Errors are JSON ``{"message"}``:
400 malformed JSON, 401 wrong credentials, 404 unknown URL, 413 too large, 415 not JSON.
"""

import hashlib
from functools import cached_property

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from erp.audit.actor import Actor
from erp.core import webhooks
from erp.core.prepared import PreparedQuery

from . import conf
from .models import ItemKind, Source, SourceKind, WebhookAuth
from .services import Incoming, alerts_receive
from .shapes.common import ShapeError
from .shapes.webhooks import parse

WEBHOOK_DESCRIPTION = __doc__.split("---------------------------------------------------", 1)[1]


class UrlTokenAuth(webhooks.TokenAuth):
    """The token in the URL already chose the source: nothing more to present."""

    def __init__(self, source: Source):
        super().__init__(lambda token: None, schema_name="AlertWebhookUrlToken")
        self.source = source

    def authenticate(self, request):
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser(), self.source


class SourceHmacAuth(webhooks.HmacAuth):
    def __init__(self, source: Source):
        super().__init__(
            f"alerts.source.{source.pk}",
            header=source.hmac_header or "X-Grafana-Alerting-Signature",
            timestamp_header=source.hmac_timestamp_header or None,
            schema_name="AlertWebhookSignature",
        )
        self.secrets = lambda: [source.secret.encode()] if source.secret else []
        self.source = source

    def verify(self, request, body):
        return self.source if super().verify(request, body) else None


def authenticators_for(source: Source) -> tuple:
    if source.auth == WebhookAuth.URL_TOKEN:
        return (UrlTokenAuth(source),)
    if source.auth == WebhookAuth.BASIC:
        return (
            webhooks.BasicAuth(lambda u, p: source if _same(u, source.username) & _same(p, source.secret) else None),
        )
    if source.auth == WebhookAuth.BEARER:
        return (webhooks.TokenAuth(lambda token: source if _same(token, source.secret) else None),)
    return (SourceHmacAuth(source),)


def _same(given: str, secret: str) -> bool:
    import hmac

    return bool(secret) and hmac.compare_digest(given.encode(), secret.encode())


def webhook_source_for(source: Source) -> webhooks.WebhookSource:
    return webhooks.WebhookSource(
        name=f"alerts.{source.pk}",
        auth=authenticators_for(source),
        missing_credentials=gettext_lazy("Send this source's credentials (see its page in the admin)."),
        max_body_bytes=conf.get("ALERTS_WEBHOOK_MAX_BYTES"),
        content_types=("application/json", "application/*+json"),
    )


ReceivedResponse = inline_serializer(
    "AlertWebhookResult",
    {
        "stored": serializers.IntegerField(),
        "duplicates": serializers.IntegerField(),
        "groups": serializers.IntegerField(),
        "unparsed": serializers.BooleanField(required=False),
        "message": serializers.CharField(required=False),
    },
)
ErrorResponse = inline_serializer("AlertWebhookError", {"message": serializers.CharField()})


# Every delivery starts with this look-up: compiled once per process (the ORM's compilation
# was a quarter of a webhook's Python). A slice, not first(): the token is unique, and
# first() would add an ORDER BY.
_ACTIVE_WEBHOOK_SOURCE = PreparedQuery(
    lambda token: Source.objects.filter(token=token, kind=SourceKind.WEBHOOK, is_active=True)[:1], str
)


@extend_schema_view(
    post=extend_schema(
        operation_id="alerts_webhook",
        summary="Alert webhook (Alertmanager, Grafana, Google Cloud, generic JSON)",
        description=WEBHOOK_DESCRIPTION,
        request=dict,
        responses={
            202: ReceivedResponse,
            400: ErrorResponse,
            401: ErrorResponse,
            404: ErrorResponse,
            413: ErrorResponse,
            415: ErrorResponse,
        },
    )
)
class AlertWebhookView(webhooks.WebhookView):
    """One source's webhook: the URL token picks the source, its own credentials are checked."""

    # Machines send here and read JSON: one renderer and no Accept parsing (DRF's content
    # negotiation and the browsable API cost more than the rest of a repeat delivery's Python).
    renderer_classes = (JSONRenderer,)
    content_negotiation_class = webhooks.JsonOnly

    @cached_property
    def alert_source(self) -> Source | None:
        token = str(self.kwargs.get("token", ""))[:64]
        if not token or "\x00" in token:  # no source has a NUL in its token (PostgreSQL refuses one)
            return None
        found = _ACTIVE_WEBHOOK_SOURCE.all(token)
        return found[0] if found else None

    @cached_property
    def source(self):
        # Read several times per request (authenticators, parsers, receive): built once.
        if self.alert_source is None:
            return webhooks.WebhookSource(name="alerts.unknown", auth=())
        return webhook_source_for(self.alert_source)

    def perform_authentication(self, request):
        if self.alert_source is None:
            raise exceptions.NotFound(_("No active alert source has this URL."))
        super().perform_authentication(request)

    def handle(self, request, delivery):
        source = self.alert_source
        try:
            if len(parsed := parse(source.shape, delivery.payload)) > conf.get("ALERTS_MAX_ALERTS_PER_DELIVERY"):
                raise ShapeError(_("Too many alerts in one delivery."))
        except ShapeError as exc:
            return self._unparsed(source, delivery.body, str(exc))
        result = alerts_receive(source=source, incoming=parsed, by=Actor.system(source=source.name))
        return Response(result.as_dict(), status=status.HTTP_202_ACCEPTED)

    def _unparsed(self, source, body: bytes, reason: str):
        """Keep what was sent (the sender may have changed its format): an item without a group."""
        raw = body.decode("utf-8", errors="replace")
        item = Incoming(
            external_id="unparsed:" + hashlib.sha256(body).hexdigest()[:40],
            kind=ItemKind.UNPARSED,
            title=_("Unparsed delivery"),
            status="",
            severity="",
            raw=raw,
            error=reason,
        )
        result = alerts_receive(source=source, incoming=[item], by=Actor.system(source=source.name))
        return Response({**result.as_dict(), "unparsed": True, "message": reason}, status=status.HTTP_202_ACCEPTED)
