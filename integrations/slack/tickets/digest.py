"""Daily ticket digest: one message per agent group channel at 09:00 KST on working days.

The figures (the period since the previous working day, per group) come from
tickets.reports.daily_digest_figures; this module only picks each group's channel,
renders and queues.
"""

from datetime import date

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from erp.workcalendar.calendar import get_calendar
from integrations.slack.core.outbox import enqueue
from integrations.slack.tickets.blocks.digest import digest_message
from tickets.reports import daily_digest_figures


def send_daily_digest(today: date | None = None) -> int:
    """Enqueue one digest per group channel; returns how many were queued.

    Skips days off (holidays, company days off, weekends). Idempotent per group and day:
    a second run (beat catching up, a manual run) queues nothing new.
    """
    today = today or timezone.localdate()
    if not get_calendar().is_working_day(today):
        return 0
    queued = 0
    for digest in daily_digest_figures(day=today):
        channel = digest.group.slack_channel_id or settings.SLACK_DEFAULT_CHANNEL
        if not channel:
            continue
        since = _("Since %(label)s") % {"label": digest.period.label}
        text, blocks = digest_message(digest.group.name, since, digest.figures)
        row = enqueue(
            kind="tickets.digest",
            target=channel,
            text=text,
            blocks=blocks,
            record=digest.group,
            message_key=f"tickets.digest:{digest.group.pk}:{today.isoformat()}",
            once=True,
        )
        queued += row is not None
    return queued
