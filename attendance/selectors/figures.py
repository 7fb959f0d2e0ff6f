"""Figures of a day, a week, a month: the numbers DMs, the status command and pages show."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Min, Q
from django.utils import timezone

from erp.people.models import Employee
from erp.workcalendar.calendar import KST, get_calendar

from ..conf import company_break_rules, setting, weekly_limits
from ..derivation import day_closes_at, live_worked_minutes, week_start_of
from ..models import DayState, Direction, Punch, WorkDay
from ..place_hints import client_place_hint

MISSING_STATES = (DayState.MISSING_CHECKOUT, DayState.MISSING_CHECKIN)


@dataclass(frozen=True)
class DaySummary:
    date: date
    state: str | None
    first_in: datetime | None
    last_out: datetime | None
    location: str
    place: str
    worked_minutes: int
    break_minutes: int
    holiday_name: str
    is_working_day: bool
    corrected: bool = False
    work_day: WorkDay | None = field(default=None, compare=False, repr=False)

    @property
    def is_open(self) -> bool:
        return self.state == DayState.WORKING

    @property
    def is_missing(self) -> bool:
        return self.state in MISSING_STATES

    @property
    def state_label(self) -> str:
        return str(DayState(self.state).label) if self.state else ""


@dataclass(frozen=True)
class WeekSummary:
    week_start: date
    total_minutes: int
    standard_minutes: int
    warning_minutes: int
    cap_minutes: int
    days: list[DaySummary]

    @property
    def week_end(self) -> date:
        return self.week_start + timedelta(days=6)

    @property
    def remaining_minutes(self) -> int:
        """Minutes left before the 52-hour cap (0 when reached or over)."""
        return max(0, self.cap_minutes - self.total_minutes)

    @property
    def overtime_minutes(self) -> int:
        return max(0, self.total_minutes - self.standard_minutes)

    @property
    def percent_of_cap(self) -> int:
        return min(100, round(100 * self.total_minutes / self.cap_minutes)) if self.cap_minutes else 0

    @property
    def level(self) -> str:
        """ok / warning / over, for bars and badges."""
        if self.total_minutes > self.cap_minutes:
            return "over"
        return "warning" if self.total_minutes >= self.warning_minutes else "ok"


@dataclass(frozen=True)
class AttendanceStatus:
    """Everything the status command / home panel / check-in reply shows."""

    employee: Employee
    now: datetime
    today: DaySummary
    # The shift that is currently open (today's, or yesterday's before the cut-off), if any.
    open_day: DaySummary | None
    week: WeekSummary
    # The company records breaks by punches: the break buttons and words are offered.
    break_punches: bool = False
    # On a break since this moment (break punches only), else None.
    on_break_since: datetime | None = None
    # Not checked in yet, and a module expects this person at a client site today
    # (attendance.place_hints, e.g. a 고객사 미팅 booking): the check-in prompt offers it.
    expected_place: str = ""

    @property
    def is_checked_in(self) -> bool:
        return self.open_day is not None


def summarize(
    work_day: WorkDay | None, day: date, *, now: datetime, calendar=None, day_facts: tuple[str, bool] | None = None
) -> DaySummary:
    """A DaySummary from a WorkDay row (or its absence); open days count their minutes so far.

    ``day_facts`` = (holiday name, is working day) when the caller already knows them (team view).
    """
    if day_facts is None:
        calendar = calendar or get_calendar()
        day_facts = (calendar.holiday_name(day) or "", calendar.is_working_day(day))
    holiday, working_day = day_facts
    if work_day is None:
        state = DayState.HOLIDAY if holiday else None
        return DaySummary(day, state, None, None, "", "", 0, 0, holiday, working_day)
    worked, breaks, state = work_day.worked_minutes, work_day.break_minutes, work_day.state
    if state == DayState.WORKING and work_day.first_in:
        if now >= day_closes_at(day, setting("ATTENDANCE_DAY_CUTOFF_HOUR")):
            # Past its cut-off but the overdue job has not run yet: never count minutes forever.
            state = DayState.MISSING_CHECKOUT
        else:
            worked = live_worked_minutes(work_day.first_in, now, company_break_rules(), work_day.break_minutes)
    return DaySummary(
        day,
        state,
        work_day.first_in,
        work_day.last_out,
        work_day.location,
        work_day.place,
        worked,
        breaks,
        holiday or work_day.holiday_name,
        working_day,
        work_day.is_corrected,
        work_day,
    )


def day_summary(employee: Employee, day: date, *, now: datetime | None = None) -> DaySummary:
    now = now or timezone.now()
    work_day = WorkDay.objects.filter(employee=employee, date=day).first()
    return summarize(work_day, day, now=now)


def _week(week_start: date, rows: dict[date, WorkDay], *, now: datetime, calendar) -> WeekSummary:
    limits = weekly_limits()
    days = [
        summarize(rows.get(week_start + timedelta(days=i)), week_start + timedelta(days=i), now=now, calendar=calendar)
        for i in range(7)
    ]
    return WeekSummary(
        week_start, sum(d.worked_minutes for d in days), limits.standard, limits.warning, limits.cap, days
    )


def week_summary(employee: Employee, week_start: date, *, now: datetime | None = None) -> WeekSummary:
    """The Mon–Sun week (KST) starting ``week_start`` (any date is moved to its Monday)."""
    now = now or timezone.now()
    week_start = week_start_of(week_start)
    rows = {
        wd.date: wd
        for wd in WorkDay.objects.filter(
            employee=employee, date__gte=week_start, date__lte=week_start + timedelta(days=6)
        )
    }
    return _week(week_start, rows, now=now, calendar=get_calendar())


def open_work_day(employee: Employee, now: datetime) -> WorkDay | None:
    """The shift currently open: today's, or yesterday's while before the cut-off hour."""
    today = now.astimezone(KST).date()
    candidates = [today]
    if now.astimezone(KST).hour < setting("ATTENDANCE_DAY_CUTOFF_HOUR"):
        candidates.append(today - timedelta(days=1))
    return (
        WorkDay.objects.filter(employee=employee, date__in=candidates, state=DayState.WORKING).order_by("-date").first()
    )


def on_break_since(employee: Employee, open_row: WorkDay) -> datetime | None:
    """When the open shift's current break started, None when not on a break (one query)."""
    last = (
        Punch.objects.filter(
            employee=employee,
            at__gte=open_row.first_in,
            direction__in=[Direction.BREAK_START, Direction.BREAK_END],
        )
        .order_by("-at", "-id")
        .values_list("direction", "at")
        .first()
    )
    return last[1] if last and last[0] == Direction.BREAK_START else None


def attendance_status(employee: Employee, *, now: datetime | None = None) -> AttendanceStatus:
    """Today's and this week's figures for ``employee`` (no writes)."""
    now = now or timezone.now()
    today = now.astimezone(KST).date()
    open_row = open_work_day(employee, now)
    anchor = open_row.date if open_row else today
    week = week_summary(employee, anchor, now=now)
    today_summary = next(d for d in week.days if d.date == anchor)
    open_summary = today_summary if open_row else None
    break_punches = company_break_rules().uses_punches
    since = on_break_since(employee, open_row) if break_punches and open_row and open_row.first_in else None
    expected_place = "" if open_row else client_place_hint(employee, today)
    return AttendanceStatus(employee, now, today_summary, open_summary, week, break_punches, since, expected_place)


# --- month calendar ----------------------------------------------------------------------------
@dataclass(frozen=True)
class MonthCalendar:
    year: int
    month: int
    weeks: list[WeekSummary]
    worked_minutes: int
    days_worked: int
    missing_days: int

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)


def month_bounds(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return first, following - timedelta(days=1)


def month_calendar(employee: Employee, year: int, month: int, *, now: datetime | None = None) -> MonthCalendar:
    """The month as Mon–Sun weeks; week totals include the days outside the month (one query)."""
    now = now or timezone.now()
    first, last = month_bounds(year, month)
    start, end = week_start_of(first), week_start_of(last) + timedelta(days=6)
    rows = {wd.date: wd for wd in WorkDay.objects.filter(employee=employee, date__gte=start, date__lte=end)}
    calendar = get_calendar()
    weeks = []
    cursor = start
    while cursor <= end:
        weeks.append(_week(cursor, rows, now=now, calendar=calendar))
        cursor += timedelta(days=7)
    in_month = [d for w in weeks for d in w.days if first <= d.date <= last]
    return MonthCalendar(
        year,
        month,
        weeks,
        worked_minutes=sum(d.worked_minutes for d in in_month),
        days_worked=sum(1 for d in in_month if d.first_in),
        missing_days=sum(1 for d in in_month if d.is_missing),
    )


def punches_around(employee: Employee, day: date, *, limit: int = 50):
    """The employee's raw punches on ``day`` and the next day, oldest first (what a correction
    request shows beside the day's figures; a shift may end after midnight).

    Like day_summary it takes the employee: the caller has already checked it may see them.
    """
    # An aware KST range on the column itself: at__date would wrap "at" in a date cast and
    # skip the (employee, at) index.
    return Punch.objects.filter(
        employee=employee,
        at__gte=datetime.combine(day, time.min, KST),
        at__lt=datetime.combine(day + timedelta(days=2), time.min, KST),
    ).order_by("at")[:limit]


def presence_days(employee_id: int, first, last):
    """(the ledger's first day, the days in [first, last] on which the person was at work): a
    check-in or a check-out recorded, or a corrected time. For leave's 80 % rule (leave.presence)."""
    ledger_start = WorkDay.objects.aggregate(first=Min("date"))["first"]
    present = Q(first_in__isnull=False) | Q(last_out__isnull=False) | Q(corrected_in__isnull=False)
    days = WorkDay.objects.filter(present, employee_id=employee_id, date__gte=first, date__lte=last)
    return ledger_start, set(days.values_list("date", flat=True))
