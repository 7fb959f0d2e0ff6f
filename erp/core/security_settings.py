"""Writes of SecuritySettings (the admin's security rules), audited like every config change."""

from erp.audit.services import audited_delete, audited_save

from .models import SecuritySettings


def security_settings_save(*, settings: SecuritySettings, by) -> SecuritySettings:
    """Save the row, recording old → new values; the process caches drop it (post_save)."""
    return audited_save(settings, by=by, validate=True)


def security_settings_delete(*, settings: SecuritySettings, by):
    """Back to the defaults (the row is gone); audited."""
    return audited_delete(settings, by=by)
