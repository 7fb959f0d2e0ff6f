"""Scheduled meeting-room work: the daily agenda post and the no-show minute.

- The agenda: on working days at MEETINGS_AGENDA_HOUR (KST), one post per room channel
  (rooms without a channel go to the rooms channel) listing today's bookings — private
  ones as "예약됨". Once per channel and day (erp.core.scheduled + post_once).
- Every minute: a "check in" DM to the organizer of each booking starting within the
  prompt window (once per booking and start), then the release of no-shows
  (meetings.services.release_no_shows), whose signal tells the organizer and the channel.
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from celery import shared_task
from celery.schedules import crontab
from django.conf import settings
from django.utils import timezone

from erp.core import scheduled
from erp.history.brief import covered_by_brief
from integrations.slack.core.kit import dm
from integrations.slack.core.scheduled_posts import post_once
from meetings.models import NO_SHOW_EXEMPT_SOURCES, Booking, MeetingSettings, Status
from meetings.services import release_no_shows

from .blocks import agenda_post, check_in_dm

AGENDA = scheduled.DailyJob("meetings.agenda", at=lambda: time(getattr(settings, "MEETINGS_AGENDA_HOUR", 8)))


def send_agenda(today: date | None = None, *, now: datetime | None = None) -> int:
    return scheduled.run(AGENDA, _post_agenda, day=today, now=now)


def _post_agenda(day: date) -> int:
    rules = MeetingSettings.current()
    start = datetime.combine(day, time(0), timezone.get_current_timezone())
    rows = (
        Booking.objects.filter(status=Status.CONFIRMED, start__gte=start, start__lt=start + timedelta(days=1))
        .select_related("room", "organizer")
        .order_by("start", "room__name")
    )
    by_channel = defaultdict(list)
    for booking in rows:
        channel = booking.room.slack_channel_id or rules.rooms_channel_id
        if channel:
            by_channel[channel].append(booking)
    queued = 0
    # A room agenda is per channel, not per team: it is left to the brief when its channel is an
    # opted-in team's channel and that team's brief lists meetings today.
    covered = covered_by_brief(AGENDA.name, day)
    for channel, bookings in sorted(by_channel.items()):
        if covered.covers(channel):
            continue
        floors = sorted({b.room.floor for b in bookings})
        label = ", ".join(floors)
        text, blocks = agenda_post(day=day, label=label, bookings=bookings)
        queued += post_once(
            AGENDA, day=day, key=channel, kind="meetings.agenda", target=channel, text=text, blocks=blocks
        )
    return queued


def send_check_in_prompts(*, now: datetime | None = None) -> int:
    rules = MeetingSettings.current()
    if not rules.check_in_required:
        return 0
    now = now or timezone.now()
    due = (
        Booking.objects.filter(
            status=Status.CONFIRMED,
            checked_in_at__isnull=True,
            start__gt=now,
            start__lte=now + timedelta(minutes=rules.check_in_prompt_minutes),
        )
        .exclude(source__in=NO_SHOW_EXEMPT_SOURCES)  # the same bookings the release applies to
        .select_related("room", "organizer")
    )
    minutes = rules.release_after_minutes
    sent = 0
    for booking in due:
        key = f"meetings.check_in:{booking.pk}:{booking.start.isoformat()}"
        render = lambda b=booking: check_in_dm(b, minutes)  # noqa: E731 (bound now, rendered in dm)
        dm("meetings.check_in", booking.organizer, render, record=booking, message_key=key, once=True)
        sent += 1
    return sent


@shared_task(name="integrations.slack.meetings_agenda", ignore_result=True)
def meetings_agenda() -> int:
    return send_agenda()


@shared_task(name="integrations.slack.meetings_no_shows", ignore_result=True)
def meetings_no_shows() -> int:
    """Every minute: check-in prompts, then the release of bookings nobody checked in to."""
    send_check_in_prompts()
    return release_no_shows()


def every_minute() -> crontab:
    return crontab(minute="*")
