"""Public intake API of inquiries (mounted at /api/inquiries/).

Website intake — ``POST /api/inquiries/submit/<site>/``
------------------------------------------------------
For website forms, the embeddable widget and server-to-server clients. ``<site>`` is the
site key an admin created (Admin → Inquiry sites).

Body: JSON (``application/json``, UTF-8) or a classic form post
(``application/x-www-form-urlencoded`` or ``multipart/form-data``) in UTF-8; a Korean legacy
form in EUC-KR / CP949 must say so (``charset=euc-kr`` or a ``_charset_`` field), else it is
refused with 400 rather than stored garbled. Fields: ``name`` and ``message`` (required),
``email`` and/or ``phone`` (one required), ``company``, ``subject``, ``category``
(adoption, quote, partnership, demo, support, other), ``product``, ``consent`` (true/false),
``utm_source`` … ``utm_content``, ``referrer``, ``landing_page``, ``lang`` (ko/en: the
language of the answer and its errors), ``started_at`` (Unix time in ms when the form was
shown), ``submission_id`` (or an ``Idempotency-Key`` header: a repeat gets the first
answer), and the honeypot ``website`` that people leave empty.

Authentication: none, or the site's API key as ``X-Inquiry-Key: <key>`` / ``Authorization:
Bearer <key>`` (required when the site says so). Browsers may post only from the site's
allowed origins (CORS).

Answers: ``201 {"number", "message"}`` once the inquiry is stored (also when it was held as
suspected spam: a bot learns nothing). A form post from a browser without JavaScript is
answered ``303`` to the site's thank-you page instead. Errors are JSON ``{"message",
"errors": {field: message}}`` in the form's language: 400 missing / invalid fields or an
unreadable body, 401 wrong API key, 404 unknown site, 413 too large, 415 other content
types, 429 too many posts (``Retry-After`` seconds).
"""

from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.authentication import BaseAuthentication
from rest_framework.response import Response

from erp.core import webhooks
from erp.core.webhooks.idempotency import handle_once
from erp.core.webhooks.intake import declared_length

from .conf import setting
from .http_intake import active_site, check_ip_rate, client_ip, key_matches, parse_body, presented_key
from .intake import accept, form_language
from .models import Category, InquirySource

DESCRIPTION = __doc__.split("------------------------------------------------------", 1)[1]


class SiteKey(BaseAuthentication):
    """The site named in the URL, vouched for by its API key when one is presented or required."""

    def authenticate(self, request):
        site = active_site(request.parser_context["kwargs"].get("site_key", ""))
        if site is None:
            raise exceptions.NotFound(_("Unknown site: check the form's address."))
        key = presented_key(request)
        if key:
            if not key_matches(site, key):
                raise exceptions.AuthenticationFailed(_("Unknown or revoked API key for this site."))
            request.inquiry_keyed = True
        elif site.require_api_key:
            raise exceptions.NotAuthenticated(_("This site requires its API key (X-Inquiry-Key header)."))
        return AnonymousUser(), site

    def authenticate_header(self, request):
        return "Bearer"


class SiteKeyScheme(OpenApiAuthenticationExtension):
    target_class = SiteKey
    name = "InquirySiteKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "X-Inquiry-Key",
            "description": "Optional per-site API key (required when the site says so)",
        }


WEBSITE = webhooks.WebhookSource(
    name="inquiries.website",
    auth=(SiteKey(),),
    max_body_bytes=64 * 1024,  # the real limit is INQUIRIES_MAX_BODY_BYTES, read per request
    content_types=("application/json", "application/x-www-form-urlencoded", "multipart/form-data"),
    idempotency=webhooks.IdempotencyKey(header="Idempotency-Key", field="submission_id"),
)

InquiryRequest = inline_serializer(
    "InquirySubmission",
    {
        "name": serializers.CharField(max_length=100),
        "company": serializers.CharField(max_length=150, required=False),
        "email": serializers.EmailField(required=False),
        "phone": serializers.CharField(max_length=30, required=False, help_text="e.g. 010-1234-5678"),
        "subject": serializers.CharField(max_length=200, required=False),
        "message": serializers.CharField(max_length=5000),
        "category": serializers.ChoiceField(choices=Category.values, required=False),
        "product": serializers.CharField(max_length=100, required=False),
        "consent": serializers.BooleanField(required=False),
        "utm_source": serializers.CharField(required=False),
        "utm_medium": serializers.CharField(required=False),
        "utm_campaign": serializers.CharField(required=False),
        "referrer": serializers.URLField(required=False),
        "landing_page": serializers.URLField(required=False),
        "lang": serializers.ChoiceField(choices=["ko", "en"], required=False),
        "started_at": serializers.IntegerField(required=False, help_text="Date.now() when the form was shown"),
        "submission_id": serializers.CharField(required=False, max_length=200),
        "website": serializers.CharField(required=False, help_text="Honeypot: leave empty"),
    },
)
InquiryAccepted = inline_serializer(
    "InquiryAccepted", {"number": serializers.CharField(), "message": serializers.CharField()}
)
InquiryError = inline_serializer(
    "InquiryError", {"message": serializers.CharField(), "errors": serializers.DictField(required=False)}
)


def wants_html(request) -> bool:
    """A browser's plain form post (no script): answer with pages, not JSON."""
    accept_header = request.META.get("HTTP_ACCEPT", "")
    is_form = request.META.get("CONTENT_TYPE", "").startswith(("application/x-www-form", "multipart/"))
    return is_form and "text/html" in accept_header and not request.META.get("HTTP_X_REQUESTED_WITH")


@extend_schema_view(
    post=extend_schema(
        operation_id="inquiries_submit",
        summary="Website intake: one customer inquiry",
        description=DESCRIPTION,
        request={
            "application/json": InquiryRequest,
            "application/x-www-form-urlencoded": InquiryRequest,
            "multipart/form-data": InquiryRequest,
        },
        responses={
            201: InquiryAccepted,
            303: OpenApiResponse(description="Form post without script: redirect to the thank-you page"),
            400: InquiryError,
            401: InquiryError,
            404: InquiryError,
            413: InquiryError,
            415: InquiryError,
            429: OpenApiResponse(InquiryError, description="Too many posts; see Retry-After"),
        },
        examples=[
            OpenApiExample(
                "A quote request",
                request_only=True,
                value={
                    "name": "김하늘",
                    "company": "(주)한빛소프트",
                    "email": "sky.kim@hanbit.example",
                    "phone": "010-2345-6789",
                    "subject": "챗봇 도입 견적",
                    "message": "사내 헬프데스크 챗봇 도입 견적을 받고 싶습니다.",
                    "category": "quote",
                    "consent": True,
                    "utm_source": "naver",
                    "lang": "ko",
                },
            )
        ],
    )
)
class InquirySubmitView(webhooks.WebhookView):
    source = WEBSITE

    def initial(self, request, *args, **kwargs):
        # Refusals before the body is read (unknown site, wrong key) speak the form's language too.
        site = active_site(kwargs.get("site_key", ""))
        translation.activate(form_language(request, site))
        request.LANGUAGE_CODE = translation.get_language()
        super().initial(request, *args, **kwargs)

    def post(self, request, site_key):
        site = self.principal
        check_ip_rate(request, client_ip(request))
        limit = setting("INQUIRIES_MAX_BODY_BYTES")
        if declared_length(request) > limit:
            raise webhooks.PayloadTooLarge(_("The inquiry is too large (at most %(kb)d KB).") % {"kb": limit // 1024})
        body = request.body
        if len(body) > limit:
            raise webhooks.PayloadTooLarge(_("The inquiry is too large (at most %(kb)d KB).") % {"kb": limit // 1024})
        data, is_json = parse_body(request, body)
        if getattr(request, "inquiry_keyed", False):
            source = InquirySource.API
        else:
            source = (
                InquirySource.WIDGET if is_json or request.META.get("HTTP_X_REQUESTED_WITH") else InquirySource.WEBSITE
            )
        key = self.source.idempotency.key_for(request, data)

        def handle():
            inquiry = accept(request, site=site, data=data, source=source)
            with translation.override(inquiry.language):
                answer = {"number": inquiry.number, "message": _("Thank you. Your inquiry has been received.")}
            if wants_html(request):
                return redirect(site.thank_you_url or reverse("contact:thanks", args=[site.key]), permanent=False)
            return Response(answer, status=status.HTTP_201_CREATED)

        if key is None:
            return handle()
        return handle_once(
            source=self.source.name,
            principal=str(site.pk),
            key=key,
            body=body,
            timeout=self.source.idempotency.processing_timeout,
            handle=lambda: self._rendered(request, handle()),
        )

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        if not wants_html(self.request):
            return response
        data = getattr(response, "data", None) or {}
        page = render(
            self.request,
            "inquiries/contact_refused.html",
            {"message": data.get("message", ""), "errors": data.get("errors") or {}},
            status=response.status_code,
        )
        if response.has_header("Retry-After"):
            page["Retry-After"] = response["Retry-After"]
        return page
