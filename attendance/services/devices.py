"""Punch devices: tokens (issued once, stored hashed, revocable) and identifier mappings."""

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from erp.audit.services import audit_record, diff, snapshot
from erp.people.models import Employee

from ..derivation import local_date
from ..models import Device, DeviceIdentifier, Location, Punch
from .derive import punch_dates_of
from .weekly import after_punches

TOKEN_PREFIX = "hdv_"
SIGNING_SECRET_PREFIX = "hds_"
# What an admin edits on a device; tokens, secrets, scope and last-seen have their own services.
DEVICE_FIELDS = ("code", "name", "location", "place", "backdate_days")


def device_create(
    *, code: str, name: str, location: str = Location.OFFICE, place: str = "", backdate_days=None, by
) -> Device:
    """Register a punch device (no token yet: issue one with device_issue_token).

    Validates the fields (ValidationError) and records "created" with every value as
    None → new. Not idempotent: a second call with the same code fails validation.
    """
    device = Device(code=code, name=name, location=location, place=place, backdate_days=backdate_days)
    device.full_clean()
    with transaction.atomic():
        device.save()
        audit_record(
            device, "created", by=by, changes=diff(dict.fromkeys(DEVICE_FIELDS), snapshot(device, DEVICE_FIELDS))
        )
    return device


def device_update(*, device: Device, by, **values) -> Device:
    """Change a device's admin-editable fields (``DEVICE_FIELDS``; anything else is a
    ValidationError). Validates, saves the changed columns only and records "changed" with
    old → new values; a call that changes nothing writes nothing (idempotent)."""
    unknown = set(values) - set(DEVICE_FIELDS)
    if unknown:
        raise ValidationError(
            _("These device fields cannot be changed here: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    with transaction.atomic():
        device = Device.objects.select_for_update().get(pk=device.pk)
        before = snapshot(device, DEVICE_FIELDS)
        for name, value in values.items():
            setattr(device, name, value)
        changes = diff(before, snapshot(device, DEVICE_FIELDS))
        if not changes:
            return device
        device.full_clean()
        device.save(update_fields=list(changes))
        audit_record(device, "changed", by=by, changes=changes)
    return device


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def device_by_token(token: str) -> Device | None:
    """The device an (unrevoked) token belongs to, else None."""
    token = (token or "").strip()
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    return Device.objects.filter(token_hash=hash_token(token), revoked_at=None).first()


def device_issue_token(*, device: Device, by) -> str:
    """Issue a new token for ``device`` and return it (the only time it is visible).

    Replaces (and so revokes) any previous token. Side effects: the device row, an audit event
    (with the token's first characters only).
    """
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        device = Device.objects.select_for_update().get(pk=device.pk)
        had_token = bool(device.token_hash)
        device.token_hash = hash_token(token)
        device.token_prefix = token[:10]
        device.token_issued_at = timezone.now()
        device.revoked_at = None
        device.save(update_fields=["token_hash", "token_prefix", "token_issued_at", "revoked_at"])
        audit_record(device, "token_issued", by=by, token_prefix=device.token_prefix, replaced=had_token)
    return token


def device_revoke_token(*, device: Device, by) -> Device:
    """Revoke the device's token: its next webhook call gets 401. Idempotent; audited."""
    with transaction.atomic():
        device = Device.objects.select_for_update().get(pk=device.pk)
        if device.revoked_at is None and device.token_hash:
            device.revoked_at = timezone.now()
            device.save(update_fields=["revoked_at"])
            audit_record(device, "token_revoked", by=by, token_prefix=device.token_prefix)
    return device


def device_issue_signing_secret(*, device: Device, by) -> str:
    """Issue a new request-signing secret and return it (shown once). From now on the device's
    webhook calls must carry ``X-Haru-Timestamp`` and ``X-Haru-Signature`` (api.py); the
    previous secret stops working at once. Audited without the secret."""
    secret = SIGNING_SECRET_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        device = Device.objects.select_for_update().get(pk=device.pk)
        replaced = bool(device.signing_secret)
        device.signing_secret, device.signing_secret_issued_at = secret, timezone.now()
        device.save(update_fields=["signing_secret", "signing_secret_issued_at"])
        audit_record(device, "signing_secret_issued", by=by, secret_prefix=secret[:8], replaced=replaced)
    return secret


def device_clear_signing_secret(*, device: Device, by) -> Device:
    """Stop requiring signatures from ``device`` (its token alone is accepted again). Idempotent; audited."""
    with transaction.atomic():
        device = Device.objects.select_for_update().get(pk=device.pk)
        if device.signing_secret:
            device.signing_secret, device.signing_secret_issued_at = "", None
            device.save(update_fields=["signing_secret", "signing_secret_issued_at"])
            audit_record(device, "signing_secret_cleared", by=by)
    return device


def device_set_scope(*, device: Device, employees, departments, by) -> Device:
    """Set whom ``device`` may punch for (both empty: anyone). Records "scope_changed" with the
    old → new lists by name; a call that changes nothing writes nothing."""

    def names(objects) -> list[str]:
        return sorted(str(o) for o in objects)

    employees, departments = list(employees), list(departments)
    with transaction.atomic():
        device = Device.objects.select_for_update().get(pk=device.pk)
        before = {
            "employees": names(device.allowed_employees.all()),
            "departments": names(device.allowed_departments.all()),
        }
        after = {"employees": names(employees), "departments": names(departments)}
        changes = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
        if not changes:
            return device
        device.allowed_employees.set(employees)
        device.allowed_departments.set(departments)
        audit_record(device, "scope_changed", by=by, changes=changes)
    return device


def device_identifier_map(*, identifier: str, employee: Employee, device: Device | None = None, by) -> tuple:
    """Map a device identifier to ``employee`` and re-match the unmatched punches carrying it.

    Returns (mapping, number of punches matched). Side effects: the mapping, the punches'
    employee, re-derived work days (and their weekly signals), an audit event. Refused when the
    identifier is already mapped (for that device, or globally).
    """
    identifier = (identifier or "").strip()
    if not identifier:
        raise ValidationError(_("Enter the identifier the device sends."))
    with transaction.atomic():
        taken = DeviceIdentifier.objects.filter(identifier=identifier, device=device)
        if taken.exists():
            raise ValidationError(
                _("This identifier is already mapped to %(name)s.") % {"name": taken.first().employee}
            )
        mapping = DeviceIdentifier.objects.create(identifier=identifier, employee=employee, device=device)
        punches = Punch.objects.filter(employee=None, employee_identifier=identifier)
        if device is not None:
            punches = punches.filter(device=device)
        else:
            # A device-specific mapping of the same identifier (another person) keeps its punches.
            mapped_devices = DeviceIdentifier.objects.filter(identifier=identifier, device__isnull=False)
            punches = punches.exclude(device__in=mapped_devices.values("device"))
        moments = list(punches.values_list("at", flat=True))
        matched = punches.update(employee=employee)
        if moments:
            after_punches(punch_dates_of((employee.pk, at) for at in moments), punches_by_key={}, by=by)
        audit_record(
            mapping,
            "mapped",
            by=by,
            identifier=identifier,
            device=str(device) if device else "",
            punches_matched=matched,
            first_day=str(local_date(min(moments))) if moments else "",
        )
    return mapping, matched
