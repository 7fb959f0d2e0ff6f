"""An admin's change to a retention policy's period, audited and never below its legal minimum."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from erp.audit.services import audited_delete, audited_save

from .registry import policy


def retention_setting_save(*, setting, by):
    known = policy(setting.key) if setting.key else None
    if known is None:
        raise ValidationError(_("Unknown record type."))
    if setting.days < known.minimum_days:
        raise ValidationError(
            _("The law requires keeping these records at least %(days)s days.") % {"days": known.minimum_days}
        )
    return audited_save(setting, by=by, validate=True)


def retention_setting_delete(*, setting, by) -> None:
    """Back to the policy's default period."""
    audited_delete(setting, by=by)
