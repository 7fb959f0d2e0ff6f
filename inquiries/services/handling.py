"""Handling an inquiry: assign, move through the pipeline, edit, tag, note, share."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from erp.audit.services import audit_record, diff, snapshot
from erp.core.tags import normalize_tags

from .. import signals
from ..models import Inquiry, Note, Status
from ..selectors import can_handle
from ._common import lock, require_handler
from .cleaning import Collector, clean_fields, email_key, phone_key, require_essentials

EDITABLE_FIELDS = (
    "customer_name",
    "company",
    "email",
    "phone",
    "subject",
    "message",
    "category",
    "product",
    "consent_contact",
    "tags",
)


@transaction.atomic
def inquiry_assign(*, inquiry, assignee, by) -> Inquiry:
    """Make ``assignee`` (a sales user, or None) responsible; a new inquiry moves to in progress.

    Idempotent: assigning the current assignee again records nothing and sends nothing.
    """
    actor = require_handler(by)
    inquiry = lock(inquiry)
    if assignee is not None and not can_handle(assignee):
        raise ValidationError({"assignee": _("Inquiries can only be assigned to the sales team.")})
    if inquiry.assignee_id == getattr(assignee, "pk", None):
        return inquiry
    before = snapshot(inquiry, ("assignee", "status"))
    old_assignee = inquiry.assignee
    inquiry.assignee = assignee
    if assignee is not None and inquiry.status == Status.NEW:
        inquiry.status = Status.IN_PROGRESS
    inquiry.save(update_fields=["assignee", "status", "updated_at"])
    audit_record(inquiry, "assigned", by=actor, changes=diff(before, snapshot(inquiry, ("assignee", "status"))))
    signals.inquiry_assigned.send(Inquiry, inquiry=inquiry, by=actor, old_assignee=old_assignee, new_assignee=assignee)
    return inquiry


@transaction.atomic
def inquiry_change_status(*, inquiry, status: str, by, reason: str = "") -> Inquiry:
    """Move the inquiry to ``status`` (any status to any other: sales decide, the trail records).

    Leaving the quarantine (spam → anything) releases it: inquiry_released is sent, so its
    card is posted then. Idempotent: the current status again records nothing.
    """
    actor = require_handler(by)
    if status not in Status.values:
        raise ValidationError({"status": _("Choose one of: %(choices)s.") % {"choices": ", ".join(Status.values)}})
    inquiry = lock(inquiry)
    old = inquiry.status
    if old == status:
        return inquiry
    inquiry.status = status
    if status == Status.ANSWERED and inquiry.answered_at is None:
        inquiry.answered_at = timezone.now()
    if status != Status.SPAM:
        inquiry.spam_reasons = [] if old == Status.SPAM else inquiry.spam_reasons
    inquiry.save(update_fields=["status", "answered_at", "spam_reasons", "updated_at"])
    audit_record(inquiry, "status_changed", by=actor, changes={"status": [old, status]}, reason=reason)
    signals.inquiry_status_changed.send(
        Inquiry, inquiry=inquiry, by=actor, old_status=old, new_status=status, reason=reason
    )
    if old == Status.SPAM:
        signals.inquiry_released.send(Inquiry, inquiry=inquiry, by=actor)
    return inquiry


def inquiry_mark_spam(*, inquiry, by) -> Inquiry:
    """Quarantine an inquiry by hand (it stays searchable and can be released)."""
    return inquiry_change_status(inquiry=inquiry, status=Status.SPAM, by=by)


def inquiry_release(*, inquiry, by) -> Inquiry:
    """A quarantined inquiry was a real one: back to new, announced like a new inquiry."""
    return inquiry_change_status(inquiry=inquiry, status=Status.NEW, by=by)


@transaction.atomic
def inquiry_update(*, inquiry, changes: dict, by) -> Inquiry:
    """Edit the customer's fields (validated as at intake), category, product, consent, tags.

    Records "updated" with each changed field and sends inquiry_updated (no event when
    nothing changed). Unknown fields are refused.
    """
    actor = require_handler(by)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in sorted(unknown)})
    inquiry = lock(inquiry)
    errors = Collector()
    values = {key: value for key, value in changes.items() if key != "tags"}
    cleaned = clean_fields(values, errors, default_category=inquiry.category, partial=True)
    if "tags" in changes:
        cleaned["tags"] = normalize_tags(changes["tags"])
    merged = {**snapshot(inquiry, EDITABLE_FIELDS), **cleaned}
    require_essentials(merged, errors)
    errors.raise_if_any()
    before = snapshot(inquiry, EDITABLE_FIELDS)
    for name, value in cleaned.items():
        setattr(inquiry, name, value)
    inquiry.email_key, inquiry.phone_key = email_key(inquiry.email), phone_key(inquiry.phone)
    changed = diff(before, snapshot(inquiry, EDITABLE_FIELDS))
    if not changed:
        return inquiry
    inquiry.save()
    audit_record(inquiry, "updated", by=actor, changes=changed)
    signals.inquiry_updated.send(Inquiry, inquiry=inquiry, by=actor, changes=changed)
    return inquiry


def inquiry_set_tags(*, inquiry, tags, by) -> Inquiry:
    return inquiry_update(inquiry=inquiry, changes={"tags": tags}, by=by)


@transaction.atomic
def inquiry_add_note(*, inquiry, body: str, by) -> Note:
    """An internal note (never sent to Slack or the customer)."""
    actor = require_handler(by)
    body = (body or "").strip().replace("\x00", "")
    if not body:
        raise ValidationError({"body": _("Write the note.")})
    if len(body) > 5000:
        raise ValidationError({"body": _("Keep this field under %(limit)d characters.") % {"limit": 5000}})
    inquiry = lock(inquiry)
    note = Note.objects.create(inquiry=inquiry, author=actor.user, body=body)
    audit_record(inquiry, "noted", by=actor, note=note.pk)
    signals.inquiry_noted.send(Inquiry, inquiry=inquiry, by=actor, note=note)
    return note


@transaction.atomic
def inquiry_share(*, inquiry, by) -> Inquiry:
    """Share with marketing: they may see it in the portal, and a privacy-safe summary is posted
    to the marketing channel. Quarantined inquiries cannot be shared. Idempotent."""
    actor = require_handler(by)
    inquiry = lock(inquiry)
    if inquiry.status == Status.SPAM:
        raise ValidationError(_("Release the inquiry from the quarantine before sharing it."))
    if inquiry.shared_with_marketing:
        return inquiry
    inquiry.shared_with_marketing, inquiry.shared_at = True, timezone.now()
    inquiry.save(update_fields=["shared_with_marketing", "shared_at", "updated_at"])
    audit_record(inquiry, "shared", by=actor, changes={"shared_with_marketing": [False, True]})
    signals.inquiry_shared.send(Inquiry, inquiry=inquiry, by=actor)
    return inquiry
