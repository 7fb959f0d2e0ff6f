"""Channel posts of daily jobs (erp.core.scheduled): one outbox row per (job, target, day).

A module's daily post is three small pieces::

    MORNING_POST = DailyJob("attendance.morning", at=lambda: time(settings.ATTENDANCE_MORNING_POST_HOUR))

    def send_morning_post(today=None, *, now=None) -> int:
        return scheduled.run(MORNING_POST, _post, day=today, now=now)   # calendar, language, once a day

    def _post(day) -> int:
        return sum(post_once(MORNING_POST, day=day, key=dept.pk, target=dept.slack_channel_id, ...) for ...)

plus ``Job(task.name, schedule=MORNING_POST.beat_schedule)`` in its SlackModule.jobs.
"""

from datetime import date

from django.db import models

from erp.core.scheduled import DailyJob, once_key
from integrations.slack.core.outbox import enqueue


def post_once(
    job: DailyJob,
    *,
    day: date,
    key,
    target: str,
    text: str,
    blocks: list,
    kind: str = "",
    record: models.Model | None = None,
) -> bool:
    """Queue ``job``'s post for ``day`` to ``target`` unless it was queued before; True if queued.

    ``key`` names what the post is about (a group's pk …): with the day it makes the
    message key, and the outbox keeps at most one row per (kind, key, target), ever.
    ``kind`` defaults to the job's name. An empty ``target`` queues nothing.
    """
    row = enqueue(
        kind=kind or job.name,
        target=target,
        text=text,
        blocks=blocks,
        record=record,
        message_key=once_key(job, key, day),
        once=True,
    )
    return row is not None
