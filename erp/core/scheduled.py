"""Daily jobs: run once per working day, at or after a set time (KST), missed runs caught up once.

The ticket digest (09:00), the attendance morning post, and later the coupon summary and
the meetings agenda are all "post X to some channels every working morning". This module
is the part that has nothing to do with Slack::

    DIGEST = DailyJob("tickets.digest", at=time(9, 0))

    def send_digest(day=None, *, now=None) -> int:      # the beat task calls send_digest()
        return scheduled.run(DIGEST, post_digests, day=day, now=now)

    def post_digests(day) -> int:                       # runs in the company language
        ...queue one post per target with the key once_key(DIGEST, group.pk, day)...
        return how_many_queued

and the module's beat entry is ``DIGEST.beat_schedule()`` (for Slack modules: declared in
their SlackModule.jobs; integrations.slack.core.scheduled_posts queues the posts).

When a run happens (``run(job, work)`` without ``day``, i.e. a beat tick):
- only on a working day of the company calendar (erp.workcalendar: weekends, public
  holidays incl. substitute and lunar holidays, company days off are skipped);
- only inside the day's window: from the job's time until the end of that day's business
  hours (until midnight for a job set at or after closing time);
- only once per (job, day): a ScheduledRun row, written in the same transaction as the
  work, so a run that fails leaves no row and the next tick tries again.

Missed runs, caught up once: beat calls the job every ``every`` minutes from its time until
23:xx, and every tick but the first of the day finds the ScheduledRun row and stops after
one query. So if nothing ran at 09:00 (worker or beat down, a broker that lost the
message), the first tick after recovery posts the day's post, once; ticks that piled up in
the broker during the outage find the row. Once the business day is over a missed day is
dropped: the next day's ticks run the next day's work, never yesterday's (a "who works
remotely today" or a digest posted a day late helps nobody, and the next digest's period
starts at the previous working day anyway).

``run(job, work, day=d)`` is the manual form (shell, tests): it runs for day ``d`` at any
hour, with the same working-day check and the same once-per-day row.

Per target: the row only says "the job ran"; ``work`` must not post twice to one target on
one day either (deleting the row in the admin lets the job run again that day). Key each
post with :func:`once_key`; the Slack adapter hands it to the outbox's ``once``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from celery.schedules import crontab
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from erp.workcalendar.calendar import KST, get_calendar

from .models import ScheduledRun


@dataclass(frozen=True)
class DailyJob:
    """A once-per-working-day job. ``at`` may be a callable, to read a setting when asked."""

    name: str  # e.g. "tickets.digest": the ScheduledRun job and the prefix of once keys
    at: time | Callable[[], time]
    every: int = 15  # minutes between beat ticks, i.e. how soon a missed run is caught up

    def __post_init__(self):
        if not 1 <= self.every <= 60:
            raise ValueError("every must be between 1 and 60 minutes")

    def post_time(self) -> time:
        return self.at() if callable(self.at) else self.at

    def beat_schedule(self) -> crontab:
        """Every ``every`` minutes from the job's time to 23:59 (CELERY_TIMEZONE = KST), every day.

        Every day, not Monday–Friday: the company calendar, not beat, knows the working days.
        """
        at = self.post_time()
        return crontab(minute=f"{at.minute % self.every}-59/{self.every}", hour=f"{at.hour}-23")

    def window(self, day: date) -> tuple[datetime, datetime] | None:
        """When ``day``'s run may happen, or None on a day off."""
        hours = get_calendar().working_interval(day)
        if hours is None:
            return None
        opens = datetime.combine(day, self.post_time(), KST)
        closes = hours[1] if hours[1] > opens else datetime.combine(day + timedelta(days=1), time.min, KST)
        return opens, closes


def due_day(job: DailyJob, now: datetime) -> date | None:
    """The day a tick at ``now`` runs the job for (today in KST), or None outside its window."""
    today = timezone.localtime(now, KST).date()
    window = job.window(today)
    if window is None or not window[0] <= now < window[1]:
        return None
    return today


def once_key(job: DailyJob, target_key, day: date) -> str:
    """``tickets.digest:12:2026-09-22``: names one post of ``job`` to one target on one day."""
    return f"{job.name}:{target_key}:{day.isoformat()}"


def run(job: DailyJob, work: Callable[[date], int], *, day: date | None = None, now: datetime | None = None) -> int:
    """Run ``work(day)`` if it is due and has not run for that day; returns its count (else 0).

    Without ``day``: a beat tick at ``now`` (default: the current time). With ``day``: a
    manual run for that day, at any hour. ``work`` runs in the company language (a channel
    is read by many: it speaks settings.LANGUAGE_CODE, not one person's language), inside
    the transaction that records the ScheduledRun row; if it raises, nothing is recorded.
    """
    if day is None:
        day = due_day(job, now or timezone.now())
        if day is None:
            return 0
    elif not get_calendar().is_working_day(day):
        return 0
    if ScheduledRun.objects.filter(job=job.name, day=day).exists():
        return 0  # the common case on every tick after the first: one query, no transaction
    with transaction.atomic():
        # A concurrent tick blocks on the unique (job, day) index until this one commits,
        # then finds the row (get_or_create's IntegrityError path) and does nothing.
        marker, created = ScheduledRun.objects.get_or_create(job=job.name, day=day)
        if not created:
            return 0
        with translation.override(settings.LANGUAGE_CODE):
            done = work(day)
        ScheduledRun.objects.filter(pk=marker.pk).update(result=done)
    return done
