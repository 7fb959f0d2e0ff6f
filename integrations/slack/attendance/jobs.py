"""The optional morning post: who works remotely or at a client today and who is on approved
leave (names only), per department channel.

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
from erp.history.brief import BriefCover, covered_by_brief
from erp.people.models import Employee
from erp.workcalendar.calendar import KST
from integrations.slack.attendance.blocks import AwayEntry, ElsewhereEntry, morning_post
from integrations.slack.core.scheduled_posts import post_once
from leave.selectors import on_leave

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


def _channel_of(employee, covered: BriefCover):
    department = employee.department
    if department is None or not department.is_active or not department.slack_channel_id:
        return None
    if covered.covers(department.slack_channel_id, department.pk):
        return None  # the team opted into the morning brief, which carries this
    return department


def _away(day: date, working: set[int]) -> list[Employee]:
    """People on approved leave at the post's hour (a full day, or a morning half day), who have
    not checked in anyway: names only — the kind of leave (병가 …) is nobody's business here."""
    people = list(
        Employee.objects.filter(user__is_active=True, department__is_active=True)
        .exclude(department__slack_channel_id="")
        .exclude(pk__in=working)
        .select_related("department")
        .order_by("display_name")
    )
    at = datetime.combine(day, time(settings.ATTENDANCE_MORNING_POST_HOUR), KST)
    away = on_leave(people, day, at=at)
    return [person for person in people if person.pk in away]


def _post_morning(day: date) -> int:
    by_department = defaultdict(list)
    covered = covered_by_brief(MORNING_POST.name, day)
    elsewhere = working_elsewhere(day)  # one query, ordered by location and name
    for work_day in elsewhere:
        department = _channel_of(work_day.employee, covered)
        if department is not None:
            by_department[department].append(work_day)
    on_leave_by_department = defaultdict(list)
    for person in _away(day, {row.employee_id for row in elsewhere}):
        department = _channel_of(person, covered)
        if department is not None:
            on_leave_by_department[department].append(person)
    queued = 0
    departments = set(by_department) | set(on_leave_by_department)
    for department in sorted(departments, key=lambda d: d.name):
        entries = [
            ElsewhereEntry(
                name=row.employee.display_name,
                location=row.location,
                place=row.place,
                slack_user_id=row.employee.slack_user_id or "",
            )
            for row in by_department.get(department, [])
        ]
        away = [
            AwayEntry(name=person.display_name, slack_user_id=person.slack_user_id or "")
            for person in on_leave_by_department.get(department, [])
        ]
        text, blocks = morning_post(day=day, department_name=department.name, entries=entries, away=away)
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
