"""Back-dated device punches: held for an admin's decision instead of applied (review M5).

A token was enough to rewrite anyone's history back to 2019. Now a webhook punch older than
the device's back-dating window becomes a HeldPunch: kept verbatim, counted as ``held`` in the
webhook's answer, and applied only when an admin approves it (then it is an ordinary Punch of
the original batch, and the day is re-derived). Rejecting keeps the row as evidence. Both
decisions are audited on the held punch; nothing is applied or dropped silently.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from erp.audit.actor import as_actor
from erp.audit.services import audit_record

from ..models import Device, HeldPunch, Punch, PunchBatch, PunchSource
from .derive import punch_dates_of
from .ledger import insert_punches
from .matching import match_identifiers
from .weekly import after_punches


def hold_punches(device: Device, batch: PunchBatch, parsed: list, employee_ids: dict, *, window_days: int) -> int:
    """Queue parsed items (ingest.ParsedItem) for review; returns how many were new.

    Events the device already sent (held before, or applied while still recent) are skipped,
    so a device re-sending its backlog queues nothing twice. Call inside the ingest transaction.
    """
    event_ids = [p.event_id for p in parsed]
    known = set(HeldPunch.objects.filter(device=device, device_event_id__in=event_ids).values_list(
        "device_event_id", flat=True
    ))  # fmt: skip
    known |= set(
        Punch.objects.filter(device=device, device_event_id__in=event_ids).values_list("device_event_id", flat=True)
    )
    fresh = [
        HeldPunch(
            device=device,
            batch=batch,
            device_event_id=p.event_id,
            employee_identifier=p.identifier,
            employee_id=employee_ids.get(p.identifier),
            at=p.at,
            direction=p.direction,
            raw=p.raw,
            window_days=window_days,
        )
        for p in sorted(parsed, key=lambda p: p.event_id)
        if p.event_id not in known
    ]
    HeldPunch.objects.bulk_create(fresh)
    return len(fresh)


def _decided(held: HeldPunch, by) -> HeldPunch:
    """The locked row, refused when someone decided it already (two admins at once)."""
    held = HeldPunch.objects.select_for_update().select_related("device").get(pk=held.pk)
    if held.status != HeldPunch.Status.PENDING:
        raise ValidationError(_("This punch was already decided (%(status)s).") % {"status": held.get_status_display()})
    return held


def held_punch_approve(*, held: HeldPunch, by, note: str = "") -> HeldPunch:
    """Apply a held punch: a Punch of the original batch, re-derived days, an audit event.

    Refused (ValidationError) once decided. The employee is matched again now, so a mapping
    an admin added meanwhile counts; the device's scope was checked at intake already.
    """
    actor = as_actor(by)
    with transaction.atomic():
        held = _decided(held, by)
        device = held.device
        employee_id = held.employee_id or match_identifiers(device, {held.employee_identifier}).get(
            held.employee_identifier
        )
        now = timezone.now()
        place = device.place or device.name
        # In ledger.COLUMNS order, as ingest builds its rows.
        row = (PunchSource.DEVICE, device.pk, held.batch_id, held.device_event_id, held.employee_identifier,
               employee_id, held.at, held.direction, device.location, place, held.raw, None)  # fmt: skip
        insert_punches([row], now=now)
        punch = Punch.objects.get(device=device, device_event_id=held.device_event_id)
        held.status, held.punch, held.employee_id = HeldPunch.Status.APPROVED, punch, punch.employee_id
        held.decided_by, held.decided_at, held.decision_note = actor.user, now, note.strip()
        held.save(update_fields=["status", "punch", "employee", "decided_by", "decided_at", "decision_note"])
        audit_record(held, "approved", by=actor, punch=punch.pk, at=held.at.isoformat(), note=held.decision_note)
        if punch.employee_id is not None:
            after_punches(punch_dates_of([(punch.employee_id, punch.at)]), punches_by_key={}, by=actor, now=now)
    return held


def held_punch_reject(*, held: HeldPunch, by, note: str = "") -> HeldPunch:
    """Refuse a held punch: it stays as evidence and is never applied. Audited."""
    actor = as_actor(by)
    with transaction.atomic():
        held = _decided(held, by)
        held.status = HeldPunch.Status.REJECTED
        held.decided_by, held.decided_at, held.decision_note = actor.user, timezone.now(), note.strip()
        held.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        audit_record(held, "rejected", by=actor, at=held.at.isoformat(), note=held.decision_note)
    return held
