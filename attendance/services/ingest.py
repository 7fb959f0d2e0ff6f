"""Device punches in batches (webhook and CSV upload): validate, store idempotently, re-derive.

Item format (also documented in attendance/api.py and the OpenAPI schema)::

    {"event_id": "10023", "employee": "H2020001", "timestamp": "2026-11-20T09:02:11+09:00",
     "direction": "in" | "out" | null}

Every item ends in exactly one bucket: accepted (stored now; ``unmatched`` counts the accepted
ones whose employee identifier is not known yet — stored all the same, for an admin to map),
duplicate (the device already sent this event id: idempotent replays), held (older than the
back-dating window: kept as a HeldPunch for an admin's decision, not applied; see held.py) or
rejected (invalid, or an employee outside the device's scope; the item and the reason are kept
on the PunchBatch, so nothing is lost silently).
"""

import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from erp.audit.actor import Actor, as_actor
from erp.audit.models import Source
from erp.audit.services import audit_record
from erp.core.bounds import EARLIEST_DATE
from erp.people.models import Employee
from erp.workcalendar.calendar import KST

from ..conf import setting
from ..models import Device, Direction, PunchBatch, PunchSource
from ..signals import punches_ingested
from .derive import punch_dates_of
from .held import hold_punches
from .ledger import insert_punches
from .matching import match_identifiers
from .weekly import after_punches

EVENT_ID_MAX = 100
IDENTIFIER_MAX = 64
# A device clock slightly ahead is normal; a punch far in the future is a broken clock.
_FUTURE_TOLERANCE = timedelta(minutes=10)
# A clock reset to its epoch (year 1, 1970…) is a broken clock too; year 1 or 9999 would also
# overflow the KST/UTC conversions of the derivation.
EARLIEST_PUNCH = datetime.combine(EARLIEST_DATE, time.min, KST)
DIRECTION_WORDS = {
    "in": Direction.IN,
    "i": Direction.IN,
    "출근": Direction.IN,
    "check-in": Direction.IN,
    "checkin": Direction.IN,
    "out": Direction.OUT,
    "o": Direction.OUT,
    "퇴근": Direction.OUT,
    "check-out": Direction.OUT,
    "checkout": Direction.OUT,
    # Readers with break keys (외출/복귀); deducted when the company records breaks by punches.
    "break_start": Direction.BREAK_START,
    "break": Direction.BREAK_START,
    "휴게": Direction.BREAK_START,
    "break_end": Direction.BREAK_END,
    "back": Direction.BREAK_END,
    "복귀": Direction.BREAK_END,
}


@dataclass
class IngestResult:
    batch: PunchBatch | None
    accepted: int = 0
    duplicates: int = 0
    unmatched: int = 0
    rejected: int = 0
    held: int = 0
    errors: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "batch_id": self.batch.pk if self.batch else None,
            "accepted": self.accepted,
            "duplicates": self.duplicates,
            "unmatched": self.unmatched,
            "rejected": self.rejected,
            "held": self.held,
            "errors": self.errors,
        }


@dataclass(frozen=True)
class ParsedItem:
    event_id: str
    identifier: str
    at: datetime
    direction: str
    raw: dict
    index: int = -1


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value.strip() if isinstance(value, str) else ""


def has_control_characters(text: str) -> bool:
    """NUL and other control characters (or lone surrogates) are never part of an id; PostgreSQL
    text and JSONB cannot even store NUL (COPY and the JSONB cast fail, losing the whole batch)."""
    return any(unicodedata.category(char) in ("Cc", "Cs") for char in text)


def storable(value):
    """``value`` (parsed JSON) with NUL characters and lone surrogates replaced by U+FFFD in every
    string and key, so a device's odd payload can be kept verbatim-ish in JSONB."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd").encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, dict):
        return {storable(str(k)): storable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [storable(v) for v in value]
    return value


def parse_timestamp(value, *, naive_means_kst: bool) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = parse_datetime(value.strip().replace(" ", "T", 1) if "T" not in value else value.strip())
    except ValueError:
        return None
    if parsed is None:
        return None
    if timezone.is_naive(parsed):
        if not naive_means_kst:
            return None
        parsed = parsed.replace(tzinfo=KST)
    try:
        # In UTC from here on; year 1 or 9999 with an offset overflows, which is no valid punch.
        return parsed.astimezone(UTC)
    except OverflowError:
        return None


def parse_direction(value) -> str | None:
    """in / out / unknown, or None when the value is not understood."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return Direction.UNKNOWN
    if not isinstance(value, str):
        return None
    return DIRECTION_WORDS.get(value.strip().lower())


def parse_item(index: int, item, *, now: datetime, naive_means_kst: bool) -> tuple[ParsedItem | None, dict | None]:
    """(item, None) or (None, error) for one element of a batch."""
    if not isinstance(item, dict):
        return None, {"index": index, "message": _("Each punch must be a JSON object.")}
    event_id = _text(item.get("event_id"))
    problems = {}
    if not event_id:
        problems["event_id"] = _("This field is required.")
    elif has_control_characters(event_id):
        problems["event_id"] = _("Control characters (such as NUL) are not allowed.")
    elif len(event_id) > EVENT_ID_MAX:
        problems["event_id"] = _("At most %(n)d characters.") % {"n": EVENT_ID_MAX}
    identifier = _text(item.get("employee"))
    if not identifier:
        problems["employee"] = _("This field is required.")
    elif has_control_characters(identifier):
        problems["employee"] = _("Control characters (such as NUL) are not allowed.")
    elif len(identifier) > IDENTIFIER_MAX:
        problems["employee"] = _("At most %(n)d characters.") % {"n": IDENTIFIER_MAX}
    at = parse_timestamp(item.get("timestamp"), naive_means_kst=naive_means_kst)
    if at is None:
        problems["timestamp"] = _("Use ISO 8601 with a UTC offset, e.g. 2026-11-20T09:02:11+09:00.")
    elif at > now + _FUTURE_TOLERANCE:
        problems["timestamp"] = _("The time is in the future; check the device clock.")
    elif at < EARLIEST_PUNCH:
        problems["timestamp"] = _("The time is before 2000; check the device clock.")
    direction = parse_direction(item.get("direction"))
    if direction is None:
        problems["direction"] = _('Use "in", "out", "break_start", "break_end" or null.')
    if problems:
        error = {"index": index, "message": next(iter(problems.values())), "errors": problems}
        if event_id:
            error["event_id"] = event_id
        return None, error
    return ParsedItem(event_id, identifier, at, direction, storable(item), index), None


def punches_ingest(
    *,
    device: Device,
    items: list,
    by=None,
    kind: str = PunchBatch.Kind.WEBHOOK,
    filename: str = "",
    naive_means_kst=False,
    backdate_window: timedelta | None = None,
) -> IngestResult:
    """Store a device's batch of punches and re-derive the affected work days.

    Idempotent on (device, event_id): replaying a batch (or a whole offline backlog) adds
    nothing twice; out-of-order and late punches re-derive the same days as in-order ones.
    A device with an employee scope (``device_scope``) gets its other punches rejected, per
    item. With ``backdate_window`` (the webhook passes the device's), punches older than
    ``now - backdate_window`` are held for review (HeldPunch), not applied.
    Side effects, in one transaction: a PunchBatch with the tally and rejected items, new Punch
    and HeldPunch rows (COPY + INSERT … ON CONFLICT DO NOTHING on PostgreSQL), re-derived
    WorkDays, an audit event on the batch, the signals of ``after_punches`` and
    ``punches_ingested``. ``by`` defaults to the device itself (source "device").
    """
    actor = as_actor(by) if by is not None else _device_actor(device)
    now = timezone.now()
    result = IngestResult(batch=None)
    parsed: dict[str, ParsedItem] = {}
    for index, item in enumerate(items):
        ok, error = parse_item(index, item, now=now, naive_means_kst=naive_means_kst)
        if error:
            result.rejected += 1
            result.errors.append(error)
        elif ok.event_id in parsed:
            result.duplicates += 1  # the same event twice in one batch
        else:
            parsed[ok.event_id] = ok
    employee_ids = match_identifiers(device, {p.identifier for p in parsed.values()})
    _refuse_out_of_scope(device, parsed, employee_ids, result)
    held = []
    if backdate_window is not None:
        oldest_applied = now - backdate_window
        held = [p for p in parsed.values() if p.at < oldest_applied]
        for p in held:
            del parsed[p.event_id]
    result.errors.sort(key=lambda e: e["index"])
    with transaction.atomic():
        batch = PunchBatch.objects.create(device=device, kind=kind, filename=filename[:200])
        result.batch = batch
        place = device.place or device.name
        rows = [
            # In ledger.COLUMNS order; plain tuples, not model instances (hundreds per request).
            (PunchSource.DEVICE, device.pk, batch.pk, p.event_id, p.identifier, employee_ids.get(p.identifier),
             p.at, p.direction, device.location, place, p.raw, None)
            # Insert in key order: two concurrent replays then lock the same keys in the same order.
            for p in sorted(parsed.values(), key=lambda p: p.event_id)
        ]  # fmt: skip
        # Only the really new rows come back; the rest were already stored (idempotent replay).
        inserted = insert_punches(rows, now=now)
        result.accepted = len(inserted)
        result.duplicates += len(rows) - len(inserted)
        result.unmatched = sum(1 for _, employee_id, _ in inserted if employee_id is None)
        if held:
            queued = hold_punches(device, batch, held, employee_ids, window_days=backdate_window.days)
            result.held = queued
            result.duplicates += len(held) - queued
        batch.accepted, batch.duplicates = result.accepted, result.duplicates
        batch.unmatched, batch.rejected = result.unmatched, result.rejected
        # Rejected items are kept verbatim (capped) so a broken device's data can be recovered.
        batch.errors = storable([{**e, "item": items[e["index"]]} for e in result.errors[:1000]])
        batch.save(update_fields=["accepted", "duplicates", "unmatched", "rejected", "errors"])
        Device.objects.filter(pk=device.pk).update(last_seen_at=now)
        audit_record(
            batch,
            "punches_ingested",
            by=actor,
            accepted=result.accepted,
            duplicates=result.duplicates,
            unmatched=result.unmatched,
            rejected=result.rejected,
            held=result.held,
        )
        punch_dates = punch_dates_of((employee_id, at) for _, employee_id, at in inserted)
        if punch_dates:
            after_punches(punch_dates, punches_by_key={}, by=actor, now=now)
        punches_ingested.send(
            sender=PunchBatch,
            batch=batch,
            accepted=result.accepted,
            duplicates=result.duplicates,
            unmatched=result.unmatched,
            rejected=result.rejected,
            by=actor,
        )
    return result


def backdate_window_of(device: Device) -> timedelta:
    """The device's back-dating window, else the company's (ATTENDANCE_BACKDATE_DAYS)."""
    days = device.backdate_days if device.backdate_days is not None else setting("ATTENDANCE_BACKDATE_DAYS")
    return timedelta(days=int(days))


def scope_of(device: Device) -> set[int] | None:
    """The employee ids a device may punch for, or None when it may punch for anyone."""
    employees = set(device.allowed_employees.values_list("pk", flat=True))
    departments = list(device.allowed_departments.values_list("pk", flat=True))
    if not employees and not departments:
        return None
    if departments:
        employees |= set(Employee.objects.filter(department__in=departments).values_list("pk", flat=True))
    return employees


def _refuse_out_of_scope(device, parsed: dict[str, ParsedItem], employee_ids: dict, result: IngestResult) -> None:
    """Reject (per item, with the reason) the punches of people outside the device's scope.

    A device with a scope knows its people, so an identifier it cannot name is refused too
    (not stored as unmatched, where a later mapping could give it to anyone).
    """
    allowed = scope_of(device)
    if allowed is None:
        return
    message = _("This device may not record punches for this employee (outside its employee scope).")
    for event_id, p in list(parsed.items()):
        if employee_ids.get(p.identifier) not in allowed:
            del parsed[event_id]
            result.rejected += 1
            result.errors.append(
                {"index": p.index, "event_id": event_id, "message": message, "errors": {"employee": message}}
            )


def _device_actor(device: Device) -> Actor:
    return Actor(user=None, source=Source.DEVICE, context={"device": device.code})


def max_batch_size() -> int:
    return setting("ATTENDANCE_MAX_BATCH")
