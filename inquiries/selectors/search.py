"""Inquiries in the history search: name, company, subject, message and internal notes.

Notes are internal: only the sales team matches on them; marketing searches the inquiry's own text.
"""

from django.db.models import Q
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from erp.core.search import RelatedText, SearchSource, TextSearch

from ..models import NUMBER_PREFIX, Inquiry, Note
from .access import can_handle, visible_inquiries

TEXT_FIELDS = ("customer_name", "company", "subject", "message")
NOTE_TEXT = RelatedText(Note, "inquiry", "body")
INQUIRY_TEXT = TextSearch(Inquiry, [*TEXT_FIELDS, NOTE_TEXT])
SHARED_TEXT = TextSearch(Inquiry, TEXT_FIELDS)


def text_q(user, text: str) -> Q:
    """Inquiries whose text contains ``text`` (notes only for the sales team), or INQ-12 itself."""
    reference = text.strip().upper()
    if reference.startswith(NUMBER_PREFIX) and reference[len(NUMBER_PREFIX) :].isdigit():
        return Q(pk=int(reference[len(NUMBER_PREFIX) :]))
    return (INQUIRY_TEXT if can_handle(user) else SHARED_TEXT).q(text)


def _title(inquiry: Inquiry) -> str:
    company = f" ({inquiry.company})" if inquiry.company else ""
    return f"{inquiry.number} {inquiry.subject} · {inquiry.customer_name}{company}"


def _summary(inquiry: Inquiry) -> str:
    return Truncator(inquiry.message).chars(160)


def _url(inquiry: Inquiry) -> str:
    return reverse("inquiries:detail", args=[inquiry.pk])


INQUIRY_SOURCE = SearchSource(
    key="inquiries",
    label=_("Customer inquiries"),
    model=Inquiry,
    fields=(*TEXT_FIELDS, NOTE_TEXT),
    for_user=visible_inquiries,
    title=_title,
    summary=_summary,
    url=_url,
    date_field="received_at",
    matches=text_q,
    order=40,
)
