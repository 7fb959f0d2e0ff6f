"""The optional morning post: who works remotely or at a client today, per department channel.

Names and locations only — never times: a channel is not the place to show when a colleague
started. Scheduled by beat at ATTENDANCE_MORNING_POST_HOUR (KST); off with
ATTENDANCE_MORNING_POST=false. Imported by integrations/tasks.py for autodiscovery.
"""

from collections import defaultdict
from datetime import date

from celery import shared_task
from django.conf import settings
from django.utils import timezone, translation

from attendance.selectors import working_elsewhere
from erp.workcalendar.calendar import get_calendar
from integrations.slack.attendance.blocks import ElsewhereEntry, morning_post
from integrations.slack.core.outbox import enqueue


def send_morning_post(today: date | None = None) -> int:
    """Enqueue one post per department channel with somebody remote / at a client today.

    Skips days off (company calendar), departments without a Slack channel or with nobody
    elsewhere. Idempotent per department and day (outbox ``once``): a second run (beat
    catching up, a manual run) queues nothing new. Returns how many posts were queued.
    """
    if not getattr(settings, "ATTENDANCE_MORNING_POST", True):
        return 0
    today = today or timezone.localdate()
    if not get_calendar().is_working_day(today):
        return 0
    by_department = defaultdict(list)
    for work_day in working_elsewhere(today):  # one query, ordered by location and name
        department = work_day.employee.department
        if department is None or not department.is_active or not department.slack_channel_id:
            continue
        by_department[department].append(work_day)
    queued = 0
    # A channel is read by many: it speaks the company's language, not one person's.
    with translation.override(settings.LANGUAGE_CODE):
        for department, rows in sorted(by_department.items(), key=lambda item: item[0].name):
            entries = [
                ElsewhereEntry(
                    name=row.employee.display_name,
                    location=row.location,
                    place=row.place,
                    slack_user_id=row.employee.slack_user_id or "",
                )
                for row in rows
            ]
            text, blocks = morning_post(day=today, department_name=department.name, entries=entries)
            row = enqueue(
                kind="attendance.morning_post",
                target=department.slack_channel_id,
                text=text,
                blocks=blocks,
                message_key=f"attendance.morning:{department.pk}:{today.isoformat()}",
                once=True,
            )
            queued += row is not None
    return queued


@shared_task(name="integrations.slack.attendance_morning_post", ignore_result=True)
def attendance_morning_post() -> int:
    """Beat, daily at ATTENDANCE_MORNING_POST_HOUR KST: the morning post (skips days off;
    idempotent per department and day)."""
    return send_morning_post()
