"""Daily ticket digest: one message per agent group channel at 09:00 KST on working days.

The figures (the period since the previous working day, per group) come from
tickets.reports.daily_digest_figures; when it runs (working days, once a day, a missed
09:00 caught up later that day) is erp.core.scheduled's business. This module only picks
each group's channel, renders and queues.
"""

from datetime import date, datetime, time

from django.conf import settings
from django.utils.translation import gettext as _

from erp.core import scheduled
from erp.history.brief import covered_by_brief
from integrations.slack.core.scheduled_posts import post_once
from integrations.slack.tickets.blocks.digest import digest_message
from tickets.reports import daily_digest_figures

DIGEST = scheduled.DailyJob("tickets.digest", at=time(9, 0))


def send_daily_digest(today: date | None = None, *, now: datetime | None = None) -> int:
    """Enqueue one digest per group channel; returns how many were queued.

    Without ``today``, a beat tick at ``now``: posts once the 09:00 run is due (see
    erp.core.scheduled). Skips days off (holidays, company days off, weekends).
    Idempotent per group and day: a second run (beat catching up, a manual run) queues
    nothing new.
    """
    return scheduled.run(DIGEST, _post_digests, day=today, now=now)


def _post_digests(day: date) -> int:
    queued = 0
    covered = covered_by_brief(DIGEST.name, day)
    for digest in daily_digest_figures(day=day):
        target = digest.group.slack_channel_id or settings.SLACK_DEFAULT_CHANNEL
        if covered.covers(target, digest.group.pk):
            continue  # the team opted into the morning brief, which carries this
        since = _("Since %(label)s") % {"label": digest.period.label}
        text, blocks = digest_message(digest.group.name, since, digest.figures)
        queued += post_once(
            DIGEST,
            day=day,
            key=digest.group.pk,
            target=target,
            text=text,
            blocks=blocks,
            record=digest.group,
        )
    return queued
