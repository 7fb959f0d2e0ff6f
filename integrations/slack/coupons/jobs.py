"""Coupon posts: the 09:00 summary per team channel, real-time alerts, the weekly expiring list.

The daily summary (COUPONS_SUMMARY_HOUR, KST, working days; erp.core.scheduled) covers every day
since the previous working day's post: on a Tuesday, Monday; on a Monday, Friday to Sunday;
after 추석 or 한글날, the holidays too. Each team (a department with a Slack channel) gets the
figures of its clients. Figures come from coupons.reports, aggregated in SQL.
"""

from datetime import date, datetime, time, timedelta

from celery import shared_task
from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from coupons import reports
from coupons.models import Client, PinStatus, SendBatch, SendBatchStatus, SendLog
from erp.core import scheduled
from erp.history.brief import covered_by_brief
from erp.workcalendar.calendar import KST, get_calendar
from integrations.slack.core.outbox import enqueue
from integrations.slack.core.scheduled_posts import post_once

from . import blocks


def _setting(name: str, default):
    return getattr(settings, name, default)


DAILY_SUMMARY = scheduled.DailyJob("coupons.daily_summary", at=lambda: time(_setting("COUPONS_SUMMARY_HOUR", 9)))
WEEKLY_EXPIRING = scheduled.DailyJob(
    "coupons.weekly_expiring", at=lambda: time(_setting("COUPONS_SUMMARY_HOUR", 9), 30)
)


def summary_period(day: date) -> tuple[date, date]:
    """The days the post of working day ``day`` covers: from the previous working day to yesterday."""
    return get_calendar().previous_working_day(day), day - timedelta(days=1)


def _teams():
    """{department: [client ids]} for active clients whose team has a channel."""
    teams = {}
    for client in Client.objects.filter(is_active=True, department__isnull=False).select_related("department"):
        department = client.department
        if department.is_active and department.slack_channel_id:
            teams.setdefault(department, []).append(client.pk)
    return teams


def _days_left(balance: int, last: date) -> int | None:
    _per_day_sends, cost_per_day = reports.daily_average(last)
    return reports.bizmoney_days_left(balance, cost_per_day)


def send_daily_summary(day: date | None = None, *, now: datetime | None = None) -> int:
    """Queue one summary per team channel (none for a team without sends); once per team and day."""
    return scheduled.run(DAILY_SUMMARY, _post_summaries, day=day, now=now)


def _post_summaries(day: date) -> int:
    first, last = summary_period(day)
    previous_first, previous_last = summary_period(first)
    snapshot = reports.latest_bizmoney()
    balance = snapshot.balance if snapshot else None
    days_left = _days_left(balance, last) if balance is not None else None
    queued = 0
    covered = covered_by_brief(DAILY_SUMMARY.name, day)
    for department, client_ids in sorted(_teams().items(), key=lambda item: item[0].name):
        if covered.covers(department.slack_channel_id, department.pk):
            continue  # the team opted into the morning brief, whose coupons section carries this
        figures = reports.period_figures(first, last, clients=client_ids)
        if not figures.sent:
            continue
        previous = reports.period_figures(previous_first, previous_last, clients=client_ids, detail=False)
        average, _cost = reports.daily_average(first - timedelta(days=1), clients=client_ids)
        text, body = blocks.daily_summary(
            team=department.name,
            figures=figures,
            previous=previous,
            average_per_day=average,
            balance=balance,
            days_left=days_left,
        )
        queued += post_once(
            DAILY_SUMMARY,
            day=day,
            key=department.pk,
            kind="coupons.daily_summary",
            target=department.slack_channel_id,
            text=text,
            blocks=body,
        )
    return queued


def send_weekly_expiring(day: date | None = None, *, now: datetime | None = None) -> int:
    return scheduled.run(WEEKLY_EXPIRING, _post_expiring, day=day, now=now)


def _first_working_day_of_week(day: date) -> bool:
    calendar = get_calendar()
    monday = day - timedelta(days=day.weekday())
    return all(not calendar.is_working_day(monday + timedelta(days=i)) for i in range((day - monday).days))


def _post_expiring(day: date) -> int:
    """On the week's first working day: per client, unused coupons expiring within 3 days."""
    if not _first_working_day_of_week(day):
        return 0
    start = datetime.combine(day, time.min, KST)
    until = day + timedelta(days=_setting("COUPONS_EXPIRING_DAYS", 3))
    rows = (
        SendLog.objects.filter(
            pin_status=PinStatus.ISSUED,
            valid_until__gte=start,
            valid_until__lt=datetime.combine(until + timedelta(days=1), time.min, KST),
            client__department__slack_channel_id__gt="",
        )
        .values("client_id", "client__name", "client__department__slack_channel_id", "campaign__name", "goods__name")
        .annotate(n=Count("id"))
        .order_by("client__name", "-n")
    )
    by_client = {}
    for row in rows:
        by_client.setdefault(
            (row["client_id"], row["client__name"], row["client__department__slack_channel_id"]), []
        ).append((row["campaign__name"] or "—", row["goods__name"] or "—", row["n"]))
    queued = 0
    for (client_id, name, channel), lines in by_client.items():
        text, body = blocks.expiring_list(client=name, rows=lines, until=until)
        queued += post_once(
            WEEKLY_EXPIRING,
            day=day,
            key=client_id,
            kind="coupons.weekly_expiring",
            target=channel,
            text=text,
            blocks=body,
        )
    return queued


# --- real-time alerts -------------------------------------------------------------------------


def alert_channel() -> str:
    return _setting("COUPONS_ALERT_CHANNEL", "") or _setting("SLACK_DEFAULT_CHANNEL", "")


def check_alerts(*, now: datetime | None = None) -> int:
    """Failure rate over the last 15 minutes, stalled or paused batches, low bizmoney; each alert
    at most once per window / stall / KST day (the outbox's ``once``). Returns alerts queued."""
    now = now or timezone.now()
    channel = alert_channel()
    if not channel:
        return 0
    return _failure_rate(now, channel) + _stalled_batches(now, channel) + _low_bizmoney(now, channel)


def _failure_rate(now: datetime, channel: str) -> int:
    minutes = _setting("COUPONS_FAILURE_WINDOW_MINUTES", 15)
    recent = SendLog.objects.filter(sent_at__gte=now - timedelta(minutes=minutes), sent_at__lte=now)
    counts = recent.aggregate(sent=Count("id"), failed=Count("id", filter=Q(succeeded=False)))
    sent, failed = counts["sent"], counts["failed"]
    if sent < _setting("COUPONS_FAILURE_MIN_SENDS", 20) or failed / sent <= _setting("COUPONS_FAILURE_RATE", 0.2):
        return 0
    top = [
        (f"{row['result_code']} {row['result_message']}".strip(), row["n"])
        for row in recent.filter(succeeded=False)
        .values("result_code", "result_message")
        .annotate(n=Count("id"))
        .order_by("-n")[:3]
    ]
    text, body = blocks.failure_alert(sent=sent, failed=failed, minutes=minutes, top=top)
    window = int(now.timestamp() // (minutes * 60))
    return bool(
        enqueue(
            kind="coupons.failure_alert",
            target=channel,
            text=text,
            blocks=body,
            message_key=f"failures:{window}",
            once=True,
        )
    )


def _stalled_batches(now: datetime, channel: str) -> int:
    minutes = _setting("COUPONS_BATCH_STALL_MINUTES", 10)
    queued = 0
    batches = SendBatch.objects.filter(
        Q(status=SendBatchStatus.RUNNING, progressed_at__lt=now - timedelta(minutes=minutes))
        | Q(status=SendBatchStatus.PAUSED)
    ).select_related("campaign")
    for batch in batches:
        left = batch.items.filter(sent=False).count()
        if not left:
            continue
        paused = batch.status == SendBatchStatus.PAUSED
        text, body = blocks.stalled_alert(
            batch_id=batch.pk,
            campaign=str(batch.campaign),
            left=left,
            minutes=minutes,
            paused_note=batch.note if paused else "",
        )
        key = (
            f"batch:{batch.pk}:{batch.status}:{batch.progressed_at:%Y%m%d%H%M%S}"
            if batch.progressed_at
            else f"batch:{batch.pk}"
        )
        queued += bool(
            enqueue(kind="coupons.batch_alert", target=channel, text=text, blocks=body, message_key=key, once=True)
        )
    return queued


def _low_bizmoney(now: datetime, channel: str) -> int:
    snapshot = reports.latest_bizmoney()
    threshold = _setting("COUPONS_BIZMONEY_LOW", 500_000)
    if snapshot is None or snapshot.balance >= threshold:
        return 0
    today = timezone.localtime(now, KST).date()
    text, body = blocks.bizmoney_alert(
        balance=snapshot.balance, threshold=threshold, days_left=_days_left(snapshot.balance, today - timedelta(days=1))
    )
    return bool(
        enqueue(
            kind="coupons.bizmoney_alert",
            target=channel,
            text=text,
            blocks=body,
            message_key=f"bizmoney:{today}",
            once=True,
        )
    )


@shared_task(name="integrations.slack.coupons_daily_summary", ignore_result=True)
def coupons_daily_summary() -> int:
    return send_daily_summary()


@shared_task(name="integrations.slack.coupons_weekly_expiring", ignore_result=True)
def coupons_weekly_expiring() -> int:
    return send_weekly_expiring()


@shared_task(name="integrations.slack.coupons_alerts", ignore_result=True)
def coupons_alerts() -> int:
    return check_alerts()
