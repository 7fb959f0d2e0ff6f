"""Periodic attendance jobs (scheduled in erp/settings/base.py CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from .services import mark_overdue_days as _mark_overdue_days
from .services import send_missing_checkout_reminders


@shared_task(name="attendance.tasks.remind_missing_checkouts", ignore_result=True)
def remind_missing_checkouts() -> int:
    """Daily at ATTENDANCE_MISSING_CHECKOUT_HOUR (KST): ``missing_checkout`` for every open shift
    not reminded yet (→ a Slack DM). Idempotent: each day is reminded once (checkout_reminded_at).
    Closes nothing. Returns the number of reminders."""
    return send_missing_checkout_reminders()


@shared_task(name="attendance.tasks.mark_overdue_days", ignore_result=True)
def mark_overdue_days() -> int:
    """Daily just after the cut-off hour: open shifts of earlier days become 'missing check-out'
    (no end time is invented) and anyone not reminded yet gets ``missing_checkout``. Idempotent."""
    return _mark_overdue_days()
