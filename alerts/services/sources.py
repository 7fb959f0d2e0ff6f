"""Configuration of sources (admin and the portal), validated and audited.

Secrets are never written to the audit trail: a change shows as "changed", not its value.
"""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from erp.audit.services import audit_record, audited_delete, audited_save

from ..models import Source, SourceKind, WebhookAuth, new_token

SECRET_FIELDS = ("secret", "token")
AUDITED_FIELDS = (
    "name",
    "kind",
    "owner_team",
    "slack_channel",
    "critical_channel",
    "page_on_call_after_hours",
    "is_active",
    "shape",
    "auth",
    "username",
    "hmac_header",
    "hmac_timestamp_header",
    "address",
    "allowed_senders",
    "helpdesk",
    "imap_host",
    "imap_port",
    "imap_security",
    "imap_folder",
    "url",
    "preset",
    "keywords",
    "pattern",
    "security_only",
    "lts_only",
    "major_only",
    "delivery",
    "poll_minutes",
)


def validate_source(source: Source) -> None:
    errors = {}
    if source.kind == SourceKind.WEBHOOK:
        if not source.shape:
            errors["shape"] = _("Choose the body shape the sender posts.")
        if not source.auth:
            errors["auth"] = _("Choose how the sender authenticates.")
        elif source.auth != WebhookAuth.URL_TOKEN and not source.secret:
            errors["secret"] = _("This authentication needs a secret.")
        if source.auth == WebhookAuth.BASIC and not source.username:
            errors["username"] = _("Basic authentication needs a user name.")
    elif source.kind == SourceKind.FEED and not source.url:
        errors["url"] = _("Enter the feed URL.")
    elif source.kind == SourceKind.MAILBOX:
        if not source.address:
            errors["address"] = _("Enter the address mail arrives at.")
        if source.imap_host and not (source.username and source.secret):
            errors["username"] = _("IMAP polling needs the mailbox's user name and password (secret).")
    if source.pattern:
        try:
            re.compile(source.pattern)
        except re.error as exc:
            errors["pattern"] = _("Not a valid regular expression: %(error)s") % {"error": exc}
    if errors:
        raise ValidationError(errors)


def source_save(*, source: Source, by) -> Source:
    """Create or change a source; a feed whose URL changed is fetched afresh (no stale ETag)."""
    validate_source(source)
    if source.pk:
        stored = Source.objects.filter(pk=source.pk).values("url", "secret", "imap_host", "imap_folder").first() or {}
        if stored.get("url") != source.url:
            source.etag = source.modified = ""
            source.next_fetch_at = None
        if (stored.get("imap_host"), stored.get("imap_folder")) != (source.imap_host, source.imap_folder):
            # Another server or folder: its UIDs are not the ones remembered.
            source.imap_uidvalidity, source.imap_last_uid, source.next_fetch_at = None, 0, None
        secret_changed = stored.get("secret") != source.secret
        if secret_changed and source.failures:
            source.next_fetch_at = None  # new credentials: try them at the next poll, not after the back-off
    else:
        secret_changed = bool(source.secret)
    return audited_save(source, by=by, fields=AUDITED_FIELDS, secret_changed=secret_changed)


@transaction.atomic
def source_rotate_token(*, source: Source, by) -> Source:
    """A new URL token (the old URL stops working at once)."""
    source.token = new_token()
    source.save(update_fields=["token", "updated_at"])
    audit_record(source, "token_rotated", by=by)
    return source


def source_delete(*, source: Source, by) -> None:
    audited_delete(source, by=by, fields=AUDITED_FIELDS)
