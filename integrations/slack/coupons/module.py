"""How coupons plug into Slack: the 09:00 summary, the weekly expiring list, real-time alerts.

The Giftishow jobs (status polling, bizmoney) have no Slack
side of their own but are scheduled here too: this is the module's one list of beat entries,
and importing integrations.giftishow.sending registers its tasks in web, worker and beat.
"""

from celery.schedules import crontab

from integrations.giftishow import sending as giftishow
from integrations.slack.core.modules import Job, SlackModule
from integrations.slack.coupons.jobs import (
    DAILY_SUMMARY,
    WEEKLY_EXPIRING,
    coupons_alerts,
    coupons_daily_summary,
    coupons_weekly_expiring,
)

slack_module = SlackModule(
    label="coupons",
    jobs=(
        Job(coupons_daily_summary.name, schedule=DAILY_SUMMARY.beat_schedule),
        Job(coupons_weekly_expiring.name, schedule=WEEKLY_EXPIRING.beat_schedule),
        Job(coupons_alerts.name, schedule=lambda: crontab(minute="*/5")),
        Job(giftishow.giftishow_poll_statuses.name, schedule=lambda: crontab(minute="*/10")),
        Job(giftishow.giftishow_check_bizmoney.name, schedule=lambda: crontab(minute=7)),
    ),
)
