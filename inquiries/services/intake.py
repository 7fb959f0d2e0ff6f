"""Receiving an inquiry: clean, judge spam, link a repeat, store, announce.

``inquiry_receive`` is the one write of the intake path: one transaction with the inquiry,
its audit event and (through the domain signal) one small Slack notify row. The caller
answers 2xx only after it returned, i.e. after commit, so an accepted inquiry is never lost;
Slack or Redis being down only delays the card (the outbox delivers it later).
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from erp.audit.services import audit_record

from .. import signals
from ..conf import setting
from ..models import Category, Inquiry, InquirySource, Site, Status
from .cleaning import (
    Collector,
    clean_fields,
    count_links,
    email_key,
    phone_key,
    require_essentials,
    subject_from,
    tracking_fields,
)

HONEYPOT_FIELD = "website"
# Spam rule codes, stored on the inquiry (the quarantine list shows why each was held).
HONEYPOT, TOO_FAST, TOO_MANY_LINKS = "honeypot", "too_fast", "links"


@dataclass(frozen=True)
class Visitor:
    """What the request tells about the sender, for abuse handling only."""

    ip_address: str | None = None
    user_agent: str = ""
    language: str = "ko"


@dataclass
class Submission:
    """A cleaned submission, ready to be stored."""

    fields: dict
    spam_reasons: list[str] = field(default_factory=list)
    submission_id: str = ""


def parse_started_at(raw) -> datetime | None:
    """The moment the form was shown (Unix seconds or milliseconds), if sent and plausible."""
    if isinstance(raw, bool) or raw in (None, ""):
        return None
    try:
        stamp = float(raw)
    except (TypeError, ValueError):
        return None
    if stamp > 1e11:  # milliseconds, as Date.now() gives them
        stamp /= 1000
    try:
        return datetime.fromtimestamp(stamp, tz=timezone.get_current_timezone())
    except (OverflowError, OSError, ValueError):
        return None


def spam_reasons(data: dict, fields: dict, *, now: datetime) -> list[str]:
    """Why this submission looks like spam (empty: it does not). Cheap, local rules only."""
    reasons = []
    if str(data.get(HONEYPOT_FIELD) or "").strip():
        reasons.append(HONEYPOT)
    started = parse_started_at(data.get("started_at"))
    if started is not None and timedelta(0) <= now - started < timedelta(seconds=setting("INQUIRIES_MIN_FILL_SECONDS")):
        reasons.append(TOO_FAST)
    if count_links(fields.get("subject", ""), fields.get("message", "")) > setting("INQUIRIES_MAX_LINKS"):
        reasons.append(TOO_MANY_LINKS)
    return reasons


def clean_submission(data: dict, *, site: Site | None, now: datetime | None = None) -> Submission:
    """Validate a submission (ValidationError with one message per field) and judge it."""
    errors = Collector()
    default_category = site.default_category if site else Category.OTHER
    fields = clean_fields(data, errors, default_category=default_category)
    require_essentials(fields, errors)
    submission_id = data.get("submission_id")
    if submission_id is not None and not isinstance(submission_id, str | int):
        errors.add("submission_id", gettext("Send this field as text."))
    errors.raise_if_any()
    fields["subject"] = fields["subject"] or subject_from(fields["message"])
    fields.update(tracking_fields(data))
    reasons = spam_reasons(data, fields, now=now or timezone.now())
    return Submission(fields=fields, spam_reasons=reasons, submission_id=str(submission_id or "")[:200])


def earlier_from_same_customer(fields: dict, *, now: datetime) -> Inquiry | None:
    """The latest inquiry with the same e-mail or phone inside the duplicate window (not spam)."""
    keys = Q()
    if fields.get("email_key"):
        keys |= Q(email_key=fields["email_key"])
    if fields.get("phone_key"):
        keys |= Q(phone_key=fields["phone_key"])
    if not keys:
        return None
    since = now - timedelta(hours=setting("INQUIRIES_DUPLICATE_WINDOW_HOURS"))
    return (
        Inquiry.objects.filter(keys, received_at__gte=since)
        .exclude(status=Status.SPAM)
        .only("pk", "duplicate_of_id")
        .order_by("-received_at", "-pk")
        .first()
    )


@transaction.atomic
def inquiry_receive(
    *, submission: Submission, source: str, site: Site | None = None, visitor: Visitor | None = None, by
) -> Inquiry:
    """Store a cleaned submission as a new inquiry.

    Side effects: links it to an earlier inquiry of the same customer inside the duplicate
    window (``duplicate_of``, the first of the chain), records "received" (or "quarantined")
    in the audit trail and sends inquiry_received, or inquiry_quarantined for suspected
    spam (kept with its reasons, not announced). Not idempotent by itself: the API makes a
    repeated delivery harmless through its idempotency key (``submission_id``).
    """
    if source not in InquirySource.values:
        raise ValueError(source)
    visitor = visitor or Visitor()
    now = timezone.now()
    fields = dict(submission.fields)
    fields["email_key"], fields["phone_key"] = email_key(fields.get("email")), phone_key(fields.get("phone"))
    quarantined = bool(submission.spam_reasons)
    earlier = None if quarantined else earlier_from_same_customer(fields, now=now)
    inquiry = Inquiry.objects.create(
        **fields,
        site=site,
        source=source,
        received_at=now,
        language=visitor.language,
        ip_address=visitor.ip_address,
        user_agent=(visitor.user_agent or "")[:300],
        submission_id=submission.submission_id,
        status=Status.SPAM if quarantined else Status.NEW,
        spam_reasons=submission.spam_reasons,
        duplicate_of_id=(earlier.duplicate_of_id or earlier.pk) if earlier else None,
    )
    if quarantined:
        audit_record(inquiry, "quarantined", by=by, reasons=submission.spam_reasons)
        signals.inquiry_quarantined.send(Inquiry, inquiry=inquiry, by=by, reasons=submission.spam_reasons)
    else:
        audit_record(inquiry, "received", by=by, duplicate_of=inquiry.duplicate_of_id)
        signals.inquiry_received.send(Inquiry, inquiry=inquiry, by=by)
    return inquiry
