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
4. **Minutes.** Presence = check-out − check-in. The break follows the company's policy
   (``BreakRules``, from workcalendar.BreakPolicy), always at least the statutory minimum
   (근로기준법 제54조: 30 min per 4 h, 1 h per 8 h; ``ATTENDANCE_BREAKS``), phased in: above
   each threshold the break grows minute by minute up to its size, so staying longer never
   lowers the worked time (e.g. 09:00–18:00 = 9 h present − 1 h = 8 h worked; 4 h 10 m present
   = 4 h worked). *presence* (the default) deducts just that minimum. *lunch_window* deducts the
   span's overlap with the lunch window of each date it covers (08:30–17:00 = 8 h 30 m − 1 h),
   the minimum still applying to spans that miss the window (night shifts, afternoons).
   *punches* deducts the recorded breaks (break start → break end inside the span; a start
   without an end deducts nothing beyond the minimum, since inventing its end would invent
   hours either way). Break punches never change the day's check-in or check-out.
5. **State.** in + out → done; in only → working until the next day's cut-off, then missing
   check-out (never closed with an invented time); out only → missing check-in.

Sorting uses (time, in-before-out, id) so the same punch set gives the same days however the
punches arrived (out of order, late, or in several batches).
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from erp.workcalendar.calendar import KST, Breaks
from erp.workcalendar.models import BreakMode

from .models import BREAK_DIRECTIONS, DayState, Direction


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
    change of location, not the end of the day. Break punches keep their direction and leave
    the open check-in as it is."""
    resolved = []
    open_at = None  # the location of the check-in that is open, if any
    seen_presence = False
    for punch in punches:
        if punch.direction in BREAK_DIRECTIONS:
            resolved.append(punch.direction)
            continue
        if punch.direction in (Direction.IN, Direction.OUT):
            direction = punch.direction
        elif not seen_presence or (open_at is not None and punch.location != open_at):
            direction = Direction.IN
        else:
            direction = Direction.OUT
        seen_presence = True
        resolved.append(direction)
        open_at = punch.location if direction == Direction.IN else None
    return resolved


def _ends_checked_in(punches: Sequence[PunchFact]) -> bool:
    """Whether the (sorted) punches leave a shift open; break punches do not open or close one."""
    presence = [d for d in resolve_directions(punches) if d not in BREAK_DIRECTIONS]
    return bool(presence) and presence[-1] == Direction.IN


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
        if not previous or not items or not _ends_checked_in(previous):
            continue
        directions = resolve_directions(previous)
        last_in = [p for p, d in zip(previous, directions, strict=True) if d == Direction.IN][-1]
        # The night's breaks and its check-out: the leading break punches, then the first
        # punch that is not an explicit check-in, all within the longest shift.
        carried = []
        for punch in items:
            if punch.direction == Direction.IN or punch.at - last_in.at > max_shift:
                break
            carried.append(punch)
            if punch.direction not in BREAK_DIRECTIONS:
                break
        if carried:
            days[day] = items[len(carried) :]
            days[day - timedelta(days=1)] = [*previous, *carried]


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
        previous_open = bool(previous) and _ends_checked_in(previous)
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


def _minutes(start: datetime, end: datetime) -> int:
    return max(0, int((end - start).total_seconds() // 60))


def _overlap(start: datetime, end: datetime, window_start: datetime, window_end: datetime) -> int:
    return _minutes(max(start, window_start), min(end, window_end))


def lunch_overlap_minutes(first_in: datetime, last_out: datetime, start: time, end: time) -> int:
    """Minutes of [first_in, last_out) inside the lunch window of each KST date it touches."""
    total = 0
    day = local_date(first_in)
    while day <= local_date(last_out):
        window = datetime.combine(day, start, KST), datetime.combine(day, end, KST)
        total += _overlap(first_in, last_out, *window)
        day += timedelta(days=1)
    return total


def recorded_break_minutes(punches: Sequence[PunchFact], first_in: datetime, until: datetime) -> int:
    """Break start → break end pairs of the (sorted) punches, clipped to [first_in, until).
    A second start while on a break keeps the first; an end without a start is ignored."""
    total, started = 0, None
    for punch in punches:
        if punch.direction == Direction.BREAK_START and started is None:
            started = punch.at
        elif punch.direction == Direction.BREAK_END and started is not None:
            total += _overlap(started, punch.at, first_in, until)
            started = None
    return total


@dataclass(frozen=True)
class BreakRules:
    """The statutory minimum plus the company's break policy (rule 4)."""

    statutory: tuple[tuple[int, int], ...] = ()
    policy: Breaks = Breaks()

    @classmethod
    def of(cls, value) -> "BreakRules":
        """A BreakRules, or the presence policy around a bare statutory rule list."""
        return value if isinstance(value, BreakRules) else cls(tuple(tuple(rule) for rule in value))

    @property
    def uses_punches(self) -> bool:
        return self.policy.mode == BreakMode.PUNCHES

    def deduction(self, first_in: datetime, last_out: datetime, recorded: int = 0) -> int:
        """Break minutes of the span [first_in, last_out) given ``recorded`` punched break minutes."""
        gross = _minutes(first_in, last_out)
        taken = 0
        if self.policy.mode == BreakMode.LUNCH_WINDOW:
            taken = lunch_overlap_minutes(first_in, last_out, self.policy.lunch_start, self.policy.lunch_end)
        elif self.uses_punches:
            taken = recorded
        return min(gross, max(break_minutes_for(gross, self.statutory), taken))


def derive_day(
    day: date,
    punches: Sequence[PunchFact],
    *,
    now: datetime,
    cutoff_hour: int,
    break_rules: "BreakRules | Sequence[tuple[int, int]]",
    corrected_in: datetime | None = None,
    corrected_out: datetime | None = None,
    on_leave: bool = False,
) -> DerivedDay | None:
    """The work day for ``day`` from its (assigned) punches; None when nothing is left to show.

    An open day's ``break_minutes`` are the breaks punched so far (punches policy), which the
    live figures deduct (``live_worked_minutes``); other policies leave them 0 until check-out.
    """
    rules = BreakRules.of(break_rules)
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
        gross = _minutes(first_in, last_out)
        recorded = recorded_break_minutes(punches, first_in, last_out) if rules.uses_punches else 0
        breaks = rules.deduction(first_in, last_out, recorded)
        worked = gross - breaks
    elif first_in is not None:
        last_out = None
        state = DayState.WORKING if now < day_closes_at(day, cutoff_hour) else DayState.MISSING_CHECKOUT
        if rules.uses_punches:
            breaks = recorded_break_minutes(punches, first_in, max(now, first_in))
    else:
        # A check-out alone on a day of full-day leave (a reader passed on the way out) is not a
        # missing check-in: the person was not expected in.
        state = DayState.LEAVE if on_leave else DayState.MISSING_CHECKIN
    return DerivedDay(day, state, first_in, last_out, location, place, gross, breaks, worked, len(punches))


def live_worked_minutes(
    first_in: datetime, now: datetime, break_rules: "BreakRules | Sequence[tuple[int, int]]", recorded: int = 0
) -> int:
    """Worked minutes so far for an open day (check-in until now, breaks deducted as the
    policy says; ``recorded`` = the break minutes punched so far, the open day's break_minutes)."""
    if now <= first_in:
        return 0
    return _minutes(first_in, now) - BreakRules.of(break_rules).deduction(first_in, now, recorded)
