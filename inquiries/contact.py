"""The hosted contact page ``/contact/<site>/`` for companies without a form builder of their own,
and the embeddable snippet (a plain HTML form plus the small widget.js, no CDN).

The page posts to itself and runs the same intake as the API (accept()), so its rules are the
API's: rate limits, spam rules, sizes, encodings. It is exempt from CSRF on purpose: it is an
anonymous public form with no session to protect, and a CSRF cookie would only make cached
or embedded copies fail.

A double submit stores one inquiry, without JavaScript: each rendering of the form carries a
fresh idempotency key (hidden ``submission_id``, a UUID), and the post is handled once per key
like the widget's Idempotency-Key (erp.core.webhooks.idempotency). A repeat of a stored post
(a double click, a reload of the answer, Back and send again) is sent to the thank-you page
again; a repeat arriving while the first is still being stored waits for it. The same key
with other content (Back, edit, send) is a new inquiry the visitor meant: the form comes back
with their text and a new key, and says so.
"""

import time
import uuid

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions

from erp.core.webhooks.idempotency import (
    REPLAYED_HEADER,
    DeliveryInProgress,
    IdempotencyKey,
    KeyReused,
    handle_once,
)
from erp.core.webhooks.intake import declared_length

from .conf import setting
from .http_intake import TooManyInquiries, active_site, check_ip_rate, client_ip, parse_body
from .intake import accept, form_language
from .models import Category, InquirySource

# The hosted page's posts are keyed apart from the API's (one receipt namespace per form kind).
CONTACT_SOURCE = "inquiries.contact"
CONTACT_KEY = IdempotencyKey(header=None, field="submission_id")
# How long a repeat waits for the first post of the same form to be stored.
REPEAT_WAIT_SECONDS = 10


def _site_or_404(site_key: str):
    site = active_site(site_key)
    if site is None:
        raise Http404()
    return site


def _form_context(request, site, data=None, errors=None, message="", *, new_key=False):
    data = data or {}
    key = data.get("submission_id") if not new_key else None
    return {
        "site": site,
        "data": data,
        # The form's idempotency key: kept while the visitor corrects a refused post.
        "submission_id": key if isinstance(key, str) and key else str(uuid.uuid4()),
        "errors": errors or {},
        "message": message,
        "categories": Category.choices,
        "started_at": int(timezone.now().timestamp() * 1000),
        "action": reverse("contact:page", args=[site.key]),
    }


@csrf_exempt
def contact_page(request, site_key):
    site = _site_or_404(site_key)
    with translation.override(form_language(request, site)):
        if request.method != "POST":
            return render(request, "inquiries/contact_page.html", _form_context(request, site))
        return _submit(request, site)


def _submit(request, site):
    data = {}
    try:
        check_ip_rate(request, client_ip(request))
        if declared_length(request) > setting("INQUIRIES_MAX_BODY_BYTES"):
            raise exceptions.ParseError(translation.gettext("The inquiry is too large."))
        data, _is_json = parse_body(request, request.body)
        response = _accept_once(request, site, data)
    except KeyReused:
        message = translation.gettext(
            "This form was sent already. To send it again as a new inquiry, check it and send it once more."
        )
        return render(
            request,
            "inquiries/contact_page.html",
            _form_context(request, site, data, message=message, new_key=True),
            status=409,
        )
    except exceptions.APIException as exc:
        response = render(
            request,
            "inquiries/contact_page.html",
            _form_context(request, site, data, message=str(exc.detail)),
            status=exc.status_code,
        )
        if isinstance(exc, TooManyInquiries):
            response["Retry-After"] = str(exc.wait)
        return response
    except Exception as exc:
        from django.core.exceptions import ValidationError

        if not isinstance(exc, ValidationError):
            raise
        errors = {field: " ".join(messages) for field, messages in exc.message_dict.items()}
        context = _form_context(request, site, data, errors, translation.gettext("Please check the marked fields."))
        return render(request, "inquiries/contact_page.html", context, status=400)
    return response


def _thanks(site):
    return redirect(site.thank_you_url or reverse("contact:thanks", args=[site.key]))


def _accept_once(request, site, data: dict):
    """accept() at most once per form key; a repeat is answered as the first post was."""

    def handle():
        accept(request, site=site, data=data, source=InquirySource.WEBSITE)
        return _thanks(site)

    key = CONTACT_KEY.key_for(request, data)
    if key is None:  # a form copied before the key existed, or a script posting without one
        return handle()
    deadline = time.monotonic() + REPEAT_WAIT_SECONDS
    while True:
        try:
            response = handle_once(
                source=CONTACT_SOURCE,
                principal=str(site.pk),
                key=key,
                body=request.body,
                timeout=CONTACT_KEY.processing_timeout,
                handle=handle,
            )
        except DeliveryInProgress:
            # A double click: the browser shows this second answer, so wait for the first post.
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
            continue
        # The stored answer of a redirect has no Location: send the repeat to the same page.
        return _thanks(site) if response.has_header(REPLAYED_HEADER) else response


def thanks_page(request, site_key):
    site = _site_or_404(site_key)
    with translation.override(form_language(request, site)):
        return render(request, "inquiries/contact_thanks.html", {"site": site})


def snippet_html(site, request) -> str:
    """The HTML to paste into the company's own page: works without script, better with it."""
    return render_to_string(
        "inquiries/snippet.html",
        {
            "site": site,
            "categories": Category.choices,
            "action": request.build_absolute_uri(reverse("inquiries-api:submit", args=[site.key])),
            "script": request.build_absolute_uri(static("inquiries/widget.js")),
        },
    )


def snippet_page(request, site_key):
    """``/contact/<site>/snippet/``: the snippet as text, to copy."""
    site = _site_or_404(site_key)
    with translation.override(form_language(request, site)):
        return HttpResponse(snippet_html(site, request), content_type="text/plain; charset=utf-8")
