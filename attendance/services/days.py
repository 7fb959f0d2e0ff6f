"""Day-level jobs: leave flags, overdue open shifts and missing check-out reminders."""

from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from erp.audit.actor import Actor
from erp.audit.services import audit_record
from erp.people.models import Employee
from erp.workcalendar.calendar import KST

from ..conf import setting
from ..derivation import week_start_of
from ..models import DayState, WorkDay
from ..signals import missing_checkout
from .derive import lock_employees, rederive


def work_day_set_leave(*, employee: Employee, date: date, on_leave: bool, by) -> WorkDay | None:
    """Mark (or unmark) ``employee`` on leave on ``date``. Punches still count if there are any.
    Side effects: the WorkDay (created when needed), its re-derivation, an audit event."""
    with transaction.atomic():
        lock_employees([employee.pk])
        work_day = WorkDay.objects.filter(employee=employee, date=date).first()
        if work_day is None and not on_leave:
            return None
        if work_day is None:
            work_day = WorkDay.objects.create(
                employee=employee, date=date, week_start=week_start_of(date), state=DayState.LEAVE, on_leave=True
            )
        previous = work_day.on_leave
        work_day.on_leave = on_leave
        work_day.save(update_fields=["on_leave"])
        rederive({employee.pk: {date}}, by=by)
        audit_record(
            work_day, "leave_set" if on_leave else "leave_cleared", by=by, changes={"on_leave": [previous, on_leave]}
        )
    return WorkDay.objects.filter(pk=work_day.pk).first()


def _closed_before(now: datetime) -> date:
    """Days before this date have passed their cut-off (a day d closes at d+1, cut-off hour)."""
    return (now.astimezone(KST) - timedelta(hours=setting("ATTENDANCE_DAY_CUTOFF_HOUR"))).date()


def mark_overdue_days(*, now: datetime | None = None) -> int:
    """Open shifts past their cut-off become 'missing check-out' (no end time is invented).

    Idempotent. Those never reminded get ``missing_checkout`` now (once per day).
    Returns the number of days marked.
    """
    now = now or timezone.now()
    with transaction.atomic():
        today = _closed_before(now)
        overdue = WorkDay.objects.filter(state=DayState.WORKING, date__lt=today)
        count = overdue.update(state=DayState.MISSING_CHECKOUT)
        # Only the shift that just closed: an old open day (a replayed backlog, a forgotten
        # month) shows in the portal, where a correction fixes it; no DM about it.
        _remind(
            WorkDay.objects.filter(
                state=DayState.MISSING_CHECKOUT, checkout_reminded_at=None, date=today - timedelta(days=1)
            ),
            now,
        )
    return count


def send_missing_checkout_reminders(*, now: datetime | None = None) -> int:
    """Send ``missing_checkout`` for the current work day's open shifts not reminded yet (once).

    Run by beat at ATTENDANCE_MISSING_CHECKOUT_HOUR. Nothing is closed: the person checks out
    (also late, before the cut-off) or asks for a correction. Returns the number of reminders.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # The current work day's open shift only (``/attendance out`` can still close it).
        open_days = WorkDay.objects.filter(
            state__in=[DayState.WORKING, DayState.MISSING_CHECKOUT],
            checkout_reminded_at=None,
            date=_closed_before(now),
        )
        return _remind(open_days, now)


def _remind(queryset, now: datetime) -> int:
    # Lock only the day rows (the manager join is nullable; PostgreSQL refuses FOR UPDATE on it).
    rows = list(
        queryset.select_for_update(skip_locked=True, of=("self",)).select_related("employee__manager", "employee__user")
    )
    if not rows:
        return 0
    WorkDay.objects.filter(pk__in=[r.pk for r in rows]).update(checkout_reminded_at=now)
    actor = Actor.system(job="attendance.missing_checkout")
    for work_day in rows:
        work_day.checkout_reminded_at = now
        missing_checkout.send(
            sender=WorkDay,
            employee=work_day.employee,
            manager=work_day.employee.manager,
            work_day=work_day,
            checked_in_at=work_day.first_in,
            by=actor,
        )
    return len(rows)
