"""Attachment limits and storage, shared by forms, serializers and services."""

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from ..models import Attachment

ALLOWED_EXTENSIONS = ("png", "jpg", "jpeg", "gif", "pdf", "txt", "log", "zip", "csv", "xlsx")
MAX_FILES_PER_UPLOAD = 5


def max_attachment_bytes() -> int:
    return getattr(settings, "TICKETS_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024)


def validate_attachment(upload) -> None:
    """Raise ValidationError with a readable message when a file breaks the limits."""
    name = os.path.basename(getattr(upload, "name", "") or "")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            _("%(name)s: this file type is not allowed. Allowed: %(allowed)s.")
            % {"name": name or "?", "allowed": ", ".join(ALLOWED_EXTENSIONS)},
            code="file_type",
        )
    if upload.size > max_attachment_bytes():
        raise ValidationError(
            _("%(name)s is %(size)s; the limit is %(limit)s.")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(max_attachment_bytes())},
            code="file_size",
        )


def validate_attachments(uploads) -> None:
    uploads = list(uploads or [])
    if len(uploads) > MAX_FILES_PER_UPLOAD:
        raise ValidationError(
            _("Attach at most %(count)d files at a time.") % {"count": MAX_FILES_PER_UPLOAD}, code="file_count"
        )
    for upload in uploads:
        validate_attachment(upload)


def store_attachments(*, ticket, uploads, user, comment=None) -> list[Attachment]:
    """Save uploaded files for a ticket (or one of its comments). Call inside the service's transaction."""
    validate_attachments(uploads)
    stored = []
    for upload in uploads or []:
        stored.append(
            Attachment.objects.create(
                ticket=ticket,
                comment=comment,
                file=upload,
                original_name=os.path.basename(upload.name)[:255],
                size=upload.size,
                content_type=(getattr(upload, "content_type", "") or "")[:100],
                uploaded_by=user if getattr(user, "pk", None) else None,
            )
        )
    return stored
