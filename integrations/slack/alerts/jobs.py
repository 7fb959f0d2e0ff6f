"""The daily release digest: one post per digest subscription with the releases that passed
its filters since the last digest (working days at ALERTS_DIGEST_HOUR KST, caught up once)."""

from datetime import date, datetime, time, timedelta

from celery import shared_task

from alerts import conf
from alerts.models import Delivery, Source, SourceKind
from alerts.services.feeds import digest_items, mark_posted
from erp.core import scheduled
from erp.history.brief import covered_by_brief
from erp.workcalendar.calendar import KST
from integrations.slack.alerts import blocks, routing
from integrations.slack.core.scheduled_posts import post_once

RELEASE_DIGEST = scheduled.DailyJob("alerts.release_digest", at=lambda: time(conf.get("ALERTS_DIGEST_HOUR")))
# A digest covers at most this far back (after a long holiday the first digest is not endless).
DIGEST_LOOKBACK = timedelta(days=7)


def send_release_digest(today: date | None = None, *, now: datetime | None = None) -> int:
    return scheduled.run(RELEASE_DIGEST, _post_digests, day=today, now=now)


def _post_digests(day: date) -> int:
    since = datetime.combine(day, time.min, KST) - DIGEST_LOOKBACK
    posted = 0
    covered = covered_by_brief(RELEASE_DIGEST.name, day)
    for source in Source.objects.filter(kind=SourceKind.FEED, delivery=Delivery.DIGEST).select_related("owner_team"):
        items = digest_items(source, since)
        channel = routing.release_channel(source)
        if not items or not channel:
            continue
        if source.owner_team_id and covered.covers(channel, source.owner_team_id):
            # The owner team's brief counts these releases (and names the security ones); they
            # stay unposted here, so a team that opts out later gets them in its next digest.
            continue
        text, message_blocks = blocks.digest_message(source.name, items)
        if post_once(
            RELEASE_DIGEST,
            day=day,
            key=source.pk,
            target=channel,
            text=text,
            blocks=message_blocks,
            kind="alerts.digest",
        ):
            mark_posted(items)
            posted += 1
    return posted


@shared_task(name="integrations.slack.alerts_release_digest", ignore_result=True)
def alerts_release_digest() -> int:
    return send_release_digest()
