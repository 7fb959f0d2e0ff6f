"""The optional morning post: who works remotely or at a client today, per department channel.

Names and locations only — never times: a channel is not the place to show when a colleague
started. Posted at ATTENDANCE_MORNING_POST_HOUR (KST) on working days, a missed run caught
up once later that day (erp.core.scheduled); off with ATTENDANCE_MORNING_POST=false.
Scheduled by the attendance SlackModule.jobs.
"""

from collections import defaultdict
from datetime import date, datetime, time

from celery import shared_task
from django.conf import settings

from attendance.selectors import working_elsewhere
from erp.core import scheduled
from erp.history.brief import replaced_by_brief
from integrations.slack.attendance.blocks import ElsewhereEntry, morning_post
from integrations.slack.core.scheduled_posts import post_once

# The job name keeps the once keys the post had before the scheduled-post helper.
MORNING_POST = scheduled.DailyJob("attendance.morning", at=lambda: time(settings.ATTENDANCE_MORNING_POST_HOUR))


def send_morning_post(today: date | None = None, *, now: datetime | None = None) -> int:
    """Enqueue one post per department channel with somebody remote / at a client today.

    Without ``today``, a beat tick at ``now`` (see erp.core.scheduled). Skips days off
    (company calendar), departments without a Slack channel or with nobody elsewhere.
    Idempotent per department and day: a second run (beat catching up, a manual run)
    queues nothing new. Returns how many posts were queued.
    """
    if not getattr(settings, "ATTENDANCE_MORNING_POST", True):
        return 0
    return scheduled.run(MORNING_POST, _post_morning, day=today, now=now)


def _post_morning(day: date) -> int:
    by_department = defaultdict(list)
    for work_day in working_elsewhere(day):  # one query, ordered by location and name
        department = work_day.employee.department
        if department is None or not department.is_active or not department.slack_channel_id:
            continue
        if replaced_by_brief(department.pk, MORNING_POST.name):
            continue  # the team opted into the morning brief, which carries this
        by_department[department].append(work_day)
    queued = 0
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
        text, blocks = morning_post(day=day, department_name=department.name, entries=entries)
        queued += post_once(
            MORNING_POST,
            day=day,
            key=department.pk,
            kind="attendance.morning_post",
            target=department.slack_channel_id,
            text=text,
            blocks=blocks,
        )
    return queued


@shared_task(name="integrations.slack.attendance_morning_post", ignore_result=True)
def attendance_morning_post() -> int:
    """Beat, every 15 minutes from ATTENDANCE_MORNING_POST_HOUR KST: the morning post, once per
    working day (the first tick of the day posts, later ones find it done)."""
    return send_morning_post()
