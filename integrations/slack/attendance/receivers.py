"""Attendance DMs: receivers of attendance/signals.py that write outbox rows.

Inside the attendance service's transaction each signal only records a notify row (it
commits or rolls back with the punch; see module.py and integrations.slack.core.notify).
These handlers run after commit, in the worker, and queue the DMs. A handler that raises
can never undo a punch: its notify row is left failed, with the error, in the Slack outbox.

- checked_in / checked_out → the person: time (KST), location, today, week, what remains to 52 h.
- weekly_threshold_crossed / weekly_cap_exceeded / weekly_breach_projected → the person and
  their manager; once per person, week and kind (the signal is once per week too; the outbox's
  ``once`` keeps a replayed signal from sending twice).
- missing_checkout → the person, once per work day.

Every DM is rendered in its recipient's Employee.language. People without a Slack id get
nothing (the portal shows them the same figures).
"""

from django.conf import settings

from integrations.slack.attendance.blocks import (
    PunchNotice,
    WeeklyAlert,
    missing_checkout_dm,
    punch_dm,
    weekly_alert_dm,
)
from integrations.slack.core.kit import dm


def _punch(employee, *, checked_in: bool, work_day=None, at=None, location="", place="", **figures):
    notice = PunchNotice(
        checked_in=checked_in,
        at=at,
        location=location,
        place=place,
        today_minutes=figures.get("today_minutes", 0),
        week_minutes=figures.get("week_minutes", 0),
        remaining_minutes=figures.get("remaining_minutes", 0),
        cap_minutes=figures.get("cap_minutes", 0),
    )
    kind = "attendance.checked_in" if checked_in else "attendance.checked_out"
    dm(kind, employee, lambda: punch_dm(notice), record=work_day)


def on_checked_in(employee, **kwargs):
    _punch(employee, checked_in=True, **kwargs)


def on_checked_out(employee, **kwargs):
    _punch(employee, checked_in=False, **kwargs)


def _weekly(kind: str, employee, *, manager=None, week_start=None, **kwargs) -> None:
    """The person and their manager, each once per week and kind (dedupe key includes the target)."""
    facts = {
        "kind": kind,
        "week_start": week_start,
        "week_minutes": kwargs.get("week_minutes", 0),
        "cap_minutes": kwargs.get("cap_minutes", 0),
        "threshold_minutes": kwargs.get("threshold_minutes", 0),
        "projected_minutes": kwargs.get("projected_minutes", 0),
        "current_week": kwargs.get("current_week", True),
    }
    key = f"attendance.weekly:{employee.pk}:{week_start.isoformat()}:{kind}"
    dm(f"attendance.weekly_{kind}", employee, lambda: weekly_alert_dm(WeeklyAlert(**facts)), message_key=key, once=True)
    if manager is not None and manager.pk != employee.pk:
        about = {"about_name": employee.display_name, "about_slack_user_id": employee.slack_user_id or ""}
        dm(
            f"attendance.weekly_{kind}",
            manager,
            lambda: weekly_alert_dm(WeeklyAlert(**facts, **about)),
            message_key=key,
            once=True,
        )


def on_threshold_crossed(employee, **kwargs):
    _weekly("threshold", employee, **kwargs)


def on_cap_exceeded(employee, **kwargs):
    _weekly("cap", employee, **kwargs)


def on_breach_projected(employee, **kwargs):
    _weekly("projected", employee, **kwargs)


def on_missing_checkout(employee, work_day=None, checked_in_at=None, **kwargs):
    dm(
        "attendance.missing_checkout",
        employee,
        lambda: missing_checkout_dm(
            day=work_day.date, checked_in_at=checked_in_at, command=settings.SLACK_ATTENDANCE_COMMAND
        ),
        record=work_day,
        message_key=f"attendance.missing_checkout:{work_day.pk}",
        once=True,
    )


# --- in-transaction filters (no queries): people not on Slack cost no outbox row ----------------


def linked(employee=None, **event) -> bool:
    return bool(getattr(employee, "slack_user_id", ""))


def anyone_linked(employee=None, manager=None, **event) -> bool:
    return linked(employee) or linked(manager)
