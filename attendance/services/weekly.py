"""The 52-hour week: threshold / cap / projected-breach signals (each once per employee and week),
and the check-in / check-out notifications that carry the week's figures.
"""

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db.models import Sum
from django.utils import timezone

from erp.people.models import Employee
from erp.workcalendar.calendar import KST, get_calendar

from ..conf import company_break_rules, setting, weekly_limits
from ..derivation import live_worked_minutes, week_start_of
from ..models import DayState, Punch, WeeklyAlert, WorkDay
from ..selectors import week_summary
from ..signals import (
    checked_in,
    checked_out,
    weekly_breach_projected,
    weekly_cap_exceeded,
    weekly_threshold_crossed,
)
from .derive import DayChange, rederive


def _employees(ids) -> dict[int, Employee]:
    return {e.pk: e for e in Employee.objects.filter(pk__in=ids).select_related("manager", "user", "department")}


def projected_week_minutes(rows: list[WorkDay], week_start: date, *, now: datetime) -> tuple[int, int]:
    """(minutes so far incl. today's live minutes, projected minutes at the end of the week).

    Projection = so far + what today still adds + the remaining working days of the week, each at
    the person's average closed day this week (the expected day length when none is closed yet).
    """
    rules = company_break_rules()
    expected = setting("ATTENDANCE_EXPECTED_DAY_MINUTES")
    today = now.astimezone(KST).date()
    calendar = get_calendar()
    closed = [r for r in rows if r.state == DayState.DONE]
    closed_total = sum(r.worked_minutes for r in closed)
    average = closed_total / len(closed) if closed else expected
    today_row = next((r for r in rows if r.date == today), None)
    so_far = closed_total
    if today_row is not None and today_row.state == DayState.WORKING and today_row.first_in:
        live = live_worked_minutes(today_row.first_in, now, rules, today_row.break_minutes)
        so_far += live
        today_rest = max(0, average - live)
    elif today_row is None and calendar.is_working_day(today):
        today_rest = average
    else:
        today_rest = 0
    week_end = week_start + timedelta(days=6)
    remaining_days = sum(
        1 for offset in range(1, (week_end - today).days + 1) if calendar.is_working_day(today + timedelta(days=offset))
    )
    return so_far, round(so_far + today_rest + remaining_days * average)


def _once(employee_id: int, week_start: date, kind: str, minutes: int, already: set) -> bool:
    if (employee_id, week_start, kind) in already:
        return False
    _, created = WeeklyAlert.objects.get_or_create(
        employee_id=employee_id, week_start=week_start, kind=kind, defaults={"minutes": minutes}
    )
    already.add((employee_id, week_start, kind))
    return created


def check_weekly_limits(employee_weeks: dict[int, set[date]], *, by, now: datetime | None = None) -> None:
    """Send the weekly signals due for these (employee, week) pairs, each at most once per week.

    Side effects: WeeklyAlert rows (the "sent once" marks) and the signals. Threshold and cap use
    the stored closed-day totals; the projection only applies to the current week.
    """
    now = now or timezone.now()
    pairs = {(emp, week_start_of(d)) for emp, days in employee_weeks.items() for d in days}
    if not pairs:
        return
    limits = weekly_limits()
    employee_ids = {emp for emp, _ in pairs}
    weeks = {ws for _, ws in pairs}
    totals = {
        (r["employee_id"], r["week_start"]): r["total"] or 0
        for r in WorkDay.objects.filter(employee_id__in=employee_ids, week_start__in=weeks)
        .values("employee_id", "week_start")
        .annotate(total=Sum("worked_minutes"))
    }
    current_week = week_start_of(now.astimezone(KST).date())
    already = set(
        WeeklyAlert.objects.filter(employee_id__in=employee_ids, week_start__in=weeks).values_list(
            "employee_id", "week_start", "kind"
        )
    )
    due = []
    for emp, ws in sorted(pairs):
        total = totals.get((emp, ws), 0)
        if total >= limits.warning:
            due.append((emp, ws, WeeklyAlert.Kind.THRESHOLD, total, None))
        if total > limits.cap:
            due.append((emp, ws, WeeklyAlert.Kind.CAP, total, None))
    current = [emp for emp, ws in pairs if ws == current_week and (emp, ws, WeeklyAlert.Kind.PROJECTED) not in already]
    if current:
        rows = defaultdict(list)
        for wd in WorkDay.objects.filter(employee_id__in=current, week_start=current_week):
            rows[wd.employee_id].append(wd)
        for emp in current:
            so_far, projected = projected_week_minutes(rows[emp], current_week, now=now)
            if projected > limits.cap and so_far <= limits.cap:
                due.append((emp, current_week, WeeklyAlert.Kind.PROJECTED, so_far, projected))
    due = [item for item in due if (item[0], item[1], item[2]) not in already]
    if not due:
        return
    employees = _employees({item[0] for item in due})
    for emp, ws, kind, minutes, projected in due:
        if not _once(emp, ws, kind, minutes, already):
            continue
        employee = employees[emp]
        common = {
            "employee": employee,
            "manager": employee.manager,
            "week_start": ws,
            "week_minutes": minutes,
            # False for a past week reached by late punches (a replayed backlog, a correction):
            # receivers may word it as a report rather than a warning.
            "current_week": ws == current_week,
        }
        if kind == WeeklyAlert.Kind.PROJECTED:
            weekly_breach_projected.send(
                sender=WorkDay, projected_minutes=projected, cap_minutes=limits.cap, by=by, **common
            )
            continue
        signal = weekly_threshold_crossed if kind == WeeklyAlert.Kind.THRESHOLD else weekly_cap_exceeded
        signal.send(
            sender=WorkDay,
            threshold_minutes=limits.warning if kind == WeeklyAlert.Kind.THRESHOLD else limits.cap,
            cap_minutes=limits.cap,
            remaining_minutes=max(0, limits.cap - minutes),
            by=by,
            **common,
        )


def notify_check_events(changes: list[DayChange], *, punches_by_key: dict, by, now: datetime | None = None) -> None:
    """Send checked_in / checked_out for days whose first check-in appeared / last check-out moved,
    when that punch is recent (ATTENDANCE_NOTIFY_MAX_AGE_MINUTES): replayed backlogs stay quiet.

    ``punches_by_key`` maps (employee_id, at) to the Punch that caused it, when known; otherwise
    it is looked up (only fresh events get here, so a replayed backlog costs nothing).
    """
    now = now or timezone.now()
    fresh_since = now - timedelta(minutes=setting("ATTENDANCE_NOTIFY_MAX_AGE_MINUTES"))
    events = []
    for change in changes:
        after = change.after
        if after is None:
            continue
        before = change.before or {}
        if (
            after.first_in
            and before.get("first_in") is None
            and fresh_since <= after.first_in <= now + timedelta(minutes=5)
        ):
            events.append((checked_in, after, after.first_in))
        if (
            after.last_out
            and after.last_out != before.get("last_out")
            and fresh_since <= after.last_out <= now + timedelta(minutes=5)
        ):
            events.append((checked_out, after, after.last_out))
    if not events:
        return
    employees = _employees({wd.employee_id for _, wd, _ in events})
    for signal, work_day, at in events:
        employee = employees[work_day.employee_id]
        week = week_summary(employee, work_day.date, now=now)
        today = next(d for d in week.days if d.date == work_day.date)
        signal.send(
            sender=WorkDay,
            employee=employee,
            work_day=work_day,
            punch=punches_by_key.get((employee.pk, at))
            or Punch.objects.filter(employee=employee, at=at).order_by("id").first(),
            at=at,
            location=work_day.location,
            place=work_day.place,
            today_minutes=today.worked_minutes,
            week_start=week.week_start,
            week_minutes=week.total_minutes,
            remaining_minutes=week.remaining_minutes,
            cap_minutes=week.cap_minutes,
            by=by,
        )


def after_punches(punch_dates: dict[int, set[date]], *, punches_by_key: dict, by, now=None) -> list[DayChange]:
    """Everything that follows new punches: re-derive, notify, check the week. Returns the changes."""
    now = now or timezone.now()
    changes = rederive(punch_dates, by=by, now=now)
    notify_check_events(changes, punches_by_key=punches_by_key, by=by, now=now)
    weeks = defaultdict(set)
    for change in changes:
        weeks[change.employee_id].add(change.date)
    check_weekly_limits(weeks, by=by, now=now)
    return changes
