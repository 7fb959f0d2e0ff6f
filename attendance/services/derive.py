"""Re-derive work days from the punch set (the database side of ``attendance.derivation``).

Callers pass the KST dates their new punches fall on; a punch can change its own date and
both neighbours (midnight rule), so those are re-derived too. On PostgreSQL each affected
employee is locked with a transaction-scoped advisory lock first, so two concurrent batches
for one person cannot each derive from half of the punches (the second waits, then sees all).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from erp.workcalendar.calendar import KST, get_calendar

from ..conf import company_break_rules, setting
from ..derivation import PunchFact, assign_days, derive_day, local_date, week_start_of
from ..models import Punch, WorkDay
from ..signals import work_days_changed
from .ledger import upsert_work_days

# First key of the (namespace, employee id) advisory lock pair; any constant unique to attendance.
_LOCK_NAMESPACE = 7406
_DERIVED_FIELDS = (
    "state",
    "first_in",
    "last_out",
    "location",
    "place",
    "gross_minutes",
    "break_minutes",
    "worked_minutes",
    "punch_count",
    "holiday_name",
)
_QUERY_CHUNK = 100


@dataclass(frozen=True)
class DayChange:
    employee_id: int
    date: date
    before: dict | None
    after: WorkDay | None


def lock_employees(employee_ids) -> None:
    """Serialize derivation per employee (PostgreSQL; SQLite serializes all writers anyway)."""
    ids = sorted({int(i) for i in employee_ids})
    if ids and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Sorted ids → every transaction takes the locks in the same order: no deadlocks.
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, id) FROM unnest(%s::int[]) WITH ORDINALITY AS t(id, n) ORDER BY n",
                [_LOCK_NAMESPACE, ids],
            )


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, KST)


def _snapshot(work_day: WorkDay | None) -> dict | None:
    if work_day is None:
        return None
    return {name: getattr(work_day, name) for name in _DERIVED_FIELDS}


def _load_facts(windows: dict[int, tuple[date, date]]) -> dict[int, list[PunchFact]]:
    facts: dict[int, list[PunchFact]] = defaultdict(list)
    items = list(windows.items())
    for offset in range(0, len(items), _QUERY_CHUNK):
        condition = Q()
        for employee_id, (first, last) in items[offset : offset + _QUERY_CHUNK]:
            condition |= Q(employee_id=employee_id, at__gte=_start_of(first), at__lt=_start_of(last))
        rows = Punch.objects.filter(condition).values_list("id", "employee_id", "at", "direction", "location", "place")
        for pk, employee_id, at, direction, location, place in rows:
            facts[employee_id].append(PunchFact(pk, at, direction, location, place))
    return facts


def rederive(punch_dates: dict[int, set[date]], *, by=None, now: datetime | None = None) -> list[DayChange]:
    """Re-derive the work days around ``punch_dates`` ({employee_id: {KST date}}); returns what changed.

    Idempotent and order-independent: it reads the full punch set of each affected window, so
    running it again (or after punches arrived in another order) gives the same rows. Creates,
    updates or deletes WorkDay rows (a day whose punches all moved to the previous day goes away
    unless it carries a correction or leave). Sends ``work_days_changed``. Call inside a transaction.
    """
    now = now or timezone.now()
    targets = {
        emp: {d + timedelta(days=k) for d in days for k in (-1, 0, 1)} for emp, days in punch_dates.items() if days
    }
    if not targets:
        return []
    lock_employees(targets)
    cutoff, rules = setting("ATTENDANCE_DAY_CUTOFF_HOUR"), company_break_rules()
    # Deriving date d needs the punches of d-1 (is it open?) through d+1 (early punches).
    windows = {emp: (min(days) - timedelta(days=1), max(days) + timedelta(days=2)) for emp, days in targets.items()}
    facts = _load_facts(windows)
    low = min(first for first, _ in windows.values())
    high = max(last for _, last in windows.values())
    existing = {
        (wd.employee_id, wd.date): wd
        for wd in WorkDay.objects.filter(employee_id__in=list(targets), date__gte=low, date__lte=high)
    }
    calendar = get_calendar()
    to_create, to_update, to_delete, changes = [], [], [], []
    max_shift = timedelta(hours=setting("ATTENDANCE_MAX_SHIFT_HOURS"))
    for employee_id, days in targets.items():
        corrected_outs = {
            day: wd.corrected_out for (emp, day), wd in existing.items() if emp == employee_id and wd.corrected_out
        }
        by_day = assign_days(facts.get(employee_id, ()), cutoff, max_shift=max_shift, corrected_outs=corrected_outs)
        for day in sorted(days):
            current = existing.get((employee_id, day))
            derived = derive_day(
                day,
                by_day.get(day, ()),
                now=now,
                cutoff_hour=cutoff,
                break_rules=rules,
                corrected_in=current.corrected_in if current else None,
                corrected_out=current.corrected_out if current else None,
                on_leave=current.on_leave if current else False,
            )
            before = _snapshot(current)
            if derived is None:
                if current is not None:
                    to_delete.append(current.pk)
                    changes.append(DayChange(employee_id, day, before, None))
                continue
            values = {
                "state": derived.state,
                "first_in": derived.first_in,
                "last_out": derived.last_out,
                "location": derived.location,
                "place": derived.place,
                "gross_minutes": derived.gross_minutes,
                "break_minutes": derived.break_minutes,
                "worked_minutes": derived.worked_minutes,
                "punch_count": derived.punch_count,
                "holiday_name": calendar.holiday_name(day) or "",
            }
            if current is None:
                current = WorkDay(employee_id=employee_id, date=day, week_start=week_start_of(day), **values)
                to_create.append(current)
            elif before != values:
                for name, value in values.items():
                    setattr(current, name, value)
                to_update.append(current)
            else:
                continue
            changes.append(DayChange(employee_id, day, before, current))
    if to_delete:
        WorkDay.objects.filter(pk__in=to_delete).delete()
    for wd in to_update:
        wd.derived_at = now
    if connection.vendor == "postgresql" and (to_create or to_update):
        upsert_work_days(to_create + to_update, fields=_DERIVED_FIELDS, now=now)
    else:
        if to_create:
            WorkDay.objects.bulk_create(to_create, batch_size=500)
        if to_update:
            WorkDay.objects.bulk_update(to_update, [*_DERIVED_FIELDS, "derived_at"], batch_size=200)
    if changes:
        employee_dates = defaultdict(list)
        for change in changes:
            employee_dates[change.employee_id].append(change.date)
        work_days_changed.send(sender=WorkDay, employee_dates=dict(employee_dates), by=by)
    return changes


def punch_dates_of(rows) -> dict[int, set[date]]:
    """{employee_id: {KST date}} from (employee_id, at) pairs, skipping unmatched punches."""
    dates: dict[int, set[date]] = defaultdict(set)
    for employee_id, at in rows:
        if employee_id is not None:
            dates[employee_id].add(local_date(at))
    return dates
