"""The daily nudge: open inquiries older than INQUIRIES_NUDGE_HOURS, posted per sales channel.

At INQUIRIES_NUDGE_HOUR (KST) on working days, a missed run caught up once later that day
(erp.core.scheduled); each channel gets the inquiries its routing sends there.
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from celery import shared_task
from django.utils import timezone

from erp.core import scheduled
from erp.history.brief import covered_by_brief
from erp.people.names import display_name
from inquiries.conf import setting
from inquiries.models import OPEN_STATUSES, Inquiry, RoutingRule
from integrations.slack.core.blocks import portal_url
from integrations.slack.core.scheduled_posts import post_once
from integrations.slack.inquiries.blocks import WaitingInquiry, unanswered_nudge
from integrations.slack.inquiries.routing import route

NUDGE = scheduled.DailyJob("inquiries.unanswered", at=lambda: time(setting("INQUIRIES_NUDGE_HOUR")))
MAX_NUDGED = 500


def send_nudge(day: date | None = None, *, now: datetime | None = None) -> int:
    """Queue one nudge per channel with open inquiries older than the threshold; returns how many.

    Idempotent per channel and day (post_once); skips days off (company calendar).
    """
    return scheduled.run(NUDGE, _post_nudges, day=day, now=now)


def _post_nudges(day: date) -> int:
    hours = setting("INQUIRIES_NUDGE_HOURS")
    before = timezone.now() - timedelta(hours=hours)
    waiting = list(
        Inquiry.objects.filter(status__in=OPEN_STATUSES, received_at__lt=before)
        .select_related("assignee")
        .order_by("received_at", "pk")[:MAX_NUDGED]
    )
    rules = list(RoutingRule.objects.filter(is_active=True))
    by_channel = defaultdict(list)
    for inquiry in waiting:
        for channel in route(inquiry, rules=rules).channels:
            by_channel[channel].append(inquiry)
    queued = 0
    # Routing picks channels, not teams: a channel that is an opted-in sales or marketing team's
    # gets the brief's inquiries section (counts and a link) instead of the nudge.
    covered = covered_by_brief(NUDGE.name, day)
    for channel, inquiries in sorted(by_channel.items()):
        if covered.covers(channel):
            continue
        items = [
            WaitingInquiry(
                number=inquiry.number,
                subject=inquiry.subject,
                received_at=inquiry.received_at,
                url=portal_url(inquiry.get_absolute_url()),
                assignee_name=display_name(inquiry.assignee) if inquiry.assignee else "",
            )
            for inquiry in inquiries
        ]
        text, blocks = unanswered_nudge(items, hours=hours, total=len(items))
        queued += post_once(
            NUDGE, day=day, key=channel, kind="inquiries.unanswered", target=channel, text=text, blocks=blocks
        )
    return queued


@shared_task(name="integrations.slack.inquiries_unanswered_nudge", ignore_result=True)
def inquiries_unanswered_nudge() -> int:
    """Beat, every 15 minutes from INQUIRIES_NUDGE_HOUR KST: the nudge, once per working day."""
    return send_nudge()
