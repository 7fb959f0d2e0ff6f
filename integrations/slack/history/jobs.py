"""Scheduled posts of the history package: the morning brief and the weekly / monthly reports.

- The morning brief: one message per team that opted in (erp.history.models.TeamBrief) with a
  Slack channel, at 09:00 KST on working days, its sections from the modules' registrations
  (erp.history.brief). The modules' morning posts to such a team's channel ask
  erp.history.brief.covered_by_brief and leave to the brief what its sections carry.
- Weekly reports (previous Mon–Sun) and monthly reports (previous month) per group channel
  (a department with a Slack channel and something to report), from each registered report's
  ``summary``, with a link to the dashboard. They run on the first working day of the week or
  month at 09:00 (Monday 09:00 unless Monday is a day off) and are queued once per period:
  the once key carries the period, so later working days of the week find it queued.
"""

from datetime import date, datetime, time, timedelta

from celery import shared_task
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from erp.core import scheduled
from erp.core.dates import range_label
from erp.history.brief import brief_for
from erp.history.models import TeamBrief
from erp.history.reports import Period, all_reports
from erp.people.models import Department
from integrations.slack.core.blocks import portal_url
from integrations.slack.core.scheduled_posts import post_once
from integrations.slack.history.blocks import brief_message, report_message

MORNING_BRIEF = scheduled.DailyJob("history.morning_brief", at=time(9, 0))
WEEKLY_REPORT = scheduled.DailyJob("history.weekly_report", at=time(9, 0))
MONTHLY_REPORT = scheduled.DailyJob("history.monthly_report", at=time(9, 0))


def send_morning_brief(today: date | None = None, *, now: datetime | None = None) -> int:
    return scheduled.run(MORNING_BRIEF, _post_briefs, day=today, now=now)


def _post_briefs(day: date) -> int:
    queued = 0
    teams = TeamBrief.objects.filter(active=True, department__is_active=True).exclude(department__slack_channel_id="")
    for team in teams.select_related("department").order_by("department__name"):
        department = team.department
        text, blocks = brief_message(department.name, day, brief_for(department, day))
        queued += post_once(
            MORNING_BRIEF, day=day, key=department.pk, target=department.slack_channel_id, text=text, blocks=blocks
        )
    return queued


def last_week(day: date) -> Period:
    monday = day - timedelta(days=day.weekday())
    return Period(monday - timedelta(days=7), monday - timedelta(days=1), "day")


def last_month(day: date) -> Period:
    first = day.replace(day=1)
    previous_last = first - timedelta(days=1)
    return Period(previous_last.replace(day=1), previous_last, "week")


def send_weekly_report(today: date | None = None, *, now: datetime | None = None) -> int:
    return scheduled.run(
        WEEKLY_REPORT, lambda day: _post_reports(WEEKLY_REPORT, day, last_week(day)), day=today, now=now
    )


def send_monthly_report(today: date | None = None, *, now: datetime | None = None) -> int:
    return scheduled.run(
        MONTHLY_REPORT, lambda day: _post_reports(MONTHLY_REPORT, day, last_month(day)), day=today, now=now
    )


def _post_reports(job: scheduled.DailyJob, day: date, period: Period) -> int:
    weekly = job is WEEKLY_REPORT
    title = _("Weekly report") if weekly else _("Monthly report")
    period_label = range_label(period.first, period.last)
    queued = 0
    with_summary = [report for report in all_reports() if report.summary is not None]
    channels = Department.objects.filter(is_active=True).exclude(slack_channel_id="").order_by("name")
    for department in channels:
        parts = []
        for report in with_summary:
            figures = report.summary(department.pk, period)
            if figures:
                query = urlencode({"start": period.first, "end": period.last, "bucket": period.bucket})
                parts.append((report, figures, portal_url(f"{reverse('reports:report', args=[report.key])}?{query}")))
        if not parts:
            continue
        text, blocks = report_message(department.name, title, period_label, parts)
        # Keyed by the period's first day: queued once per period, whichever working day runs first.
        queued += post_once(
            job, day=period.first, key=department.pk, target=department.slack_channel_id, text=text, blocks=blocks
        )
    return queued


@shared_task(name="integrations.slack.history_morning_brief", ignore_result=True)
def history_morning_brief() -> int:
    """Beat, every 15 minutes from 09:00 KST: the morning brief, once per working day."""
    return send_morning_brief()


@shared_task(name="integrations.slack.history_weekly_report", ignore_result=True)
def history_weekly_report() -> int:
    """Beat, every 15 minutes from 09:00 KST: last week's report, once per week."""
    return send_weekly_report()


@shared_task(name="integrations.slack.history_monthly_report", ignore_result=True)
def history_monthly_report() -> int:
    """Beat, every 15 minutes from 09:00 KST: last month's report, once per month."""
    return send_monthly_report()
