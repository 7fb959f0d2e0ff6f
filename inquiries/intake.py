"""Accepting one submission from the web (API or hosted page): the steps after the body is read."""

from django.conf import settings
from django.utils import translation

from erp.audit.actor import Actor
from erp.audit.models import Source

from .http_intake import check_email_rate, client_ip
from .models import Inquiry, InquirySource, Site
from .services import Visitor, clean_submission, inquiry_receive

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def form_language(request, site: Site | None, data: dict | None = None) -> str:
    """The form's language: its ``lang`` field, ``?lang=``, else the site's, else Korean."""
    for candidate in ((data or {}).get("lang"), request.GET.get("lang")):
        if isinstance(candidate, str) and candidate.strip().lower()[:2] in LANGUAGE_CODES:
            return candidate.strip().lower()[:2]
    return site.language if site else settings.LANGUAGE_CODE


def accept(request, *, site: Site, data: dict, source: str) -> Inquiry:
    """Rate-limit by e-mail, clean (ValidationError per field), store; returns the inquiry.

    Runs in the form's language, so every refusal speaks it. The per-IP limit is checked
    before the body is read (see the callers).
    """
    language = form_language(request, site, data)
    with translation.override(language):
        check_email_rate(request, data.get("email") if isinstance(data.get("email"), str) else "")
        submission = clean_submission(data, site=site)
        actor = Actor(source=Source.API if source == InquirySource.API else Source.WEB, context={"site": site.key})
        visitor = Visitor(
            ip_address=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            language=language,
        )
        return inquiry_receive(submission=submission, source=source, site=site, visitor=visitor, by=actor)
