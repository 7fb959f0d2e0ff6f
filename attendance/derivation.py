"""Pure rules that turn a set of punches into work days (no database access here).

The rules, in the order they apply:

1. **Which day a punch belongs to.** Each punch has a KST calendar date. A punch *before the
   cut-off hour* (``ATTENDANCE_DAY_CUTOFF_HOUR``, default 04:00) whose direction is not an
   explicit "in" belongs to the *previous* date when that date's own punches (those at or after
   its cut-off) end "checked in". So a shift that starts at 22:00 and ends at 02:30 belongs to
   the day it started; a 02:30 punch after a closed day starts a new (early) day. The decision
   only looks at the previous date's own punches, so it never chains across several days.
   Past the cut-off, a night shift's first punch of the next date still closes it when it is
   within ``ATTENDANCE_MAX_SHIFT_HOURS`` of the check-in (see assign_days), and an approved
   correction's check-out on the next date takes that date's punches up to it.
2. **Direction.** A punch with an explicit direction keeps it. An unknown direction (a reader
   that does not know) is inferred: the first punch of the day is a check-in, later ones are
   check-outs, except a punch at another location than the open check-in (the office reader
   after a remote check-in): that is a check-in there, a change of location.
3. **Times.** First check-in = earliest "in"; last check-out = latest "out" after it. An approved
   correction's times replace them.
4. **Minutes.** Presence = check-out − check-in. Statutory breaks (근로기준법 제54조: 30 min per
   4 h, 1 h per 8 h; ``ATTENDANCE_BREAKS``) are phased in: above each threshold the break grows
   minute by minute up to its size, so staying longer never lowers the worked time
   (e.g. 09:00–18:00 = 9 h present − 1 h = 8 h worked; 4 h 10 m present = 4 h worked).
5. **State.** in + out → done; in only → working until the next day's cut-off, then missing
   check-out (never closed with an invented time); out only → missing check-in.

Sorting uses (time, in-before-out, id) so the same punch set gives the same days however the
punches arrived (out of order, late, or in several batches).
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from erp.workcalendar.calendar import KST

from .models import DayState, Direction


@dataclass(frozen=True)
class PunchFact:
    """The part of a punch the rules need."""

    id: int
    at: datetime
    direction: str
    location: str = "office"
    place: str = ""


@dataclass(frozen=True)
class DerivedDay:
    date: date
    state: str
    first_in: datetime | None
    last_out: datetime | None
    location: str
    place: str
    gross_minutes: int
    break_minutes: int
    worked_minutes: int
    punch_count: int


def _sort_key(p: PunchFact):
    return (p.at, 0 if p.direction == Direction.IN else 1, p.id)


def local_date(moment: datetime) -> date:
    return moment.astimezone(KST).date()


def week_start_of(day: date) -> date:
    """Monday of the Mon–Sun week containing ``day``."""
    return day - timedelta(days=day.weekday())


def day_closes_at(day: date, cutoff_hour: int) -> datetime:
    """When a day with a check-in but no check-out becomes 'missing check-out'."""
    return datetime.combine(day + timedelta(days=1), time(cutoff_hour), KST)


def resolve_directions(punches: Sequence[PunchFact]) -> list[str]:
    """Directions of the (sorted) punches of one day, unknown ones inferred: the first is a
    check-in, later ones check-outs, except that a punch somewhere else than the open check-in
    (a reader in the office after a remote or client-site check-in) is a check-in there, a
    change of location, not the end of the day."""
    resolved = []
    open_at = None  # the location of the check-in that is open, if any
    for index, punch in enumerate(punches):
        if punch.direction in (Direction.IN, Direction.OUT):
            direction = punch.direction
        elif index == 0 or (open_at is not None and punch.location != open_at):
            direction = Direction.IN
        else:
            direction = Direction.OUT
        resolved.append(direction)
        open_at = punch.location if direction == Direction.IN else None
    return resolved


def assign_days(
    punches: Iterable[PunchFact],
    cutoff_hour: int,
    *,
    max_shift: timedelta | None = None,
    corrected_outs: dict[date, datetime] | None = None,
) -> dict[date, list[PunchFact]]:
    """Group one employee's punches by the work date they belong to (rule 1), each list sorted.

    Past the cut-off too, a night shift stays one work day: the first punch of a date (not an
    explicit "in") goes to the previous date when that date ends checked in and the punch is
    within ``max_shift`` of its last check-in (22:00 → 06:00 is one shift, not a missing
    check-out and a missing check-in). And a previous date whose approved correction ends
    later (``corrected_outs``) takes the punches up to that check-out, so a corrected night
    shift leaves no stray day behind.
    """
    days = _assign_by_cutoff(punches, cutoff_hour)
    if max_shift is not None:
        _carry_night_checkouts(days, max_shift)
    for day, corrected_out in (corrected_outs or {}).items():
        _absorb_until(days, day, corrected_out)
    return {day: sorted(items, key=_sort_key) for day, items in days.items() if items}


def _carry_night_checkouts(days: dict[date, list[PunchFact]], max_shift: timedelta) -> None:
    for day in sorted(days):
        previous = sorted(days.get(day - timedelta(days=1), ()), key=_sort_key)
        items = sorted(days[day], key=_sort_key)
        if not previous or not items or items[0].direction == Direction.IN:
            continue
        directions = resolve_directions(previous)
        if directions[-1] != Direction.IN:
            continue
        last_in = [p for p, d in zip(previous, directions, strict=True) if d == Direction.IN][-1]
        if items[0].at - last_in.at <= max_shift:
            days[day] = items[1:]
            days[day - timedelta(days=1)] = [*previous, items[0]]


def _absorb_until(days: dict[date, list[PunchFact]], day: date, corrected_out: datetime) -> None:
    following = day + timedelta(days=1)
    moved = [p for p in days.get(following, ()) if p.at <= corrected_out and p.direction != Direction.IN]
    if moved:
        days[following] = [p for p in days[following] if p not in moved]
        days[day] = [*days.get(day, []), *moved]


def _assign_by_cutoff(punches: Iterable[PunchFact], cutoff_hour: int) -> dict[date, list[PunchFact]]:
    own: dict[date, list[PunchFact]] = defaultdict(list)
    early: dict[date, list[PunchFact]] = defaultdict(list)
    for punch in sorted(punches, key=_sort_key):
        local = punch.at.astimezone(KST)
        (early if local.hour < cutoff_hour else own)[local.date()].append(punch)
    days: dict[date, list[PunchFact]] = defaultdict(list)
    for day, items in own.items():
        days[day].extend(items)
    for day, items in early.items():
        previous = own.get(day - timedelta(days=1))
        previous_open = bool(previous) and resolve_directions(previous)[-1] == Direction.IN
        for punch in items:
            target = day - timedelta(days=1) if previous_open and punch.direction != Direction.IN else day
            days[target].append(punch)
    return days


def break_minutes_for(gross_minutes: int, rules: Sequence[tuple[int, int]]) -> int:
    """Statutory break for ``gross_minutes`` of presence (rule 4), phased in to stay monotonic."""
    deduction = 0
    for threshold, minutes in rules:
        if gross_minutes > threshold:
            deduction = max(deduction, min(minutes, gross_minutes - threshold))
    return deduction


def derive_day(
    day: date,
    punches: Sequence[PunchFact],
    *,
    now: datetime,
    cutoff_hour: int,
    break_rules: Sequence[tuple[int, int]],
    corrected_in: datetime | None = None,
    corrected_out: datetime | None = None,
    on_leave: bool = False,
) -> DerivedDay | None:
    """The work day for ``day`` from its (assigned) punches; None when nothing is left to show."""
    punches = sorted(punches, key=_sort_key)
    directions = resolve_directions(punches)
    ins = [p for p, d in zip(punches, directions, strict=True) if d == Direction.IN]
    first_in_punch = ins[0] if ins else None
    first_in = corrected_in or (first_in_punch.at if first_in_punch else None)
    outs = [p.at for p, d in zip(punches, directions, strict=True) if d == Direction.OUT]
    if first_in is not None:
        outs = [moment for moment in outs if moment > first_in]
    last_out = corrected_out or (max(outs) if outs else None)
    if first_in is None and last_out is None:
        if not on_leave:
            return None
        return DerivedDay(day, DayState.LEAVE, None, None, "office", "", 0, 0, 0, len(punches))

    # Where the person is (or ended): the latest check-in's place, e.g. the office they moved to.
    source = (ins[-1] if ins else None) or (punches[0] if punches else None)
    location = source.location if source else "office"
    place = source.place if source else ""
    gross = breaks = worked = 0
    if first_in is not None and last_out is not None and last_out > first_in:
        state = DayState.DONE
        gross = int((last_out - first_in).total_seconds() // 60)
        breaks = break_minutes_for(gross, break_rules)
        worked = gross - breaks
    elif first_in is not None:
        last_out = None
        state = DayState.WORKING if now < day_closes_at(day, cutoff_hour) else DayState.MISSING_CHECKOUT
    else:
        # A check-out alone on a day of full-day leave (a reader passed on the way out) is not a
        # missing check-in: the person was not expected in.
        state = DayState.LEAVE if on_leave else DayState.MISSING_CHECKIN
    return DerivedDay(day, state, first_in, last_out, location, place, gross, breaks, worked, len(punches))


def live_worked_minutes(first_in: datetime, now: datetime, break_rules: Sequence[tuple[int, int]]) -> int:
    """Worked minutes so far for an open day (check-in until now, breaks deducted)."""
    gross = max(0, int((now - first_in).total_seconds() // 60))
    return gross - break_minutes_for(gross, break_rules)
