"""Which Slack channel an inquiry's card goes to: the inquiry routing rules (admin), in order.

A rule matches on category, source, product and the time window of the moment in the
company calendar (business hours / after hours, holidays count as after hours). The first
active matching rule decides; without one the card goes to INQUIRIES_SALES_CHANNEL, else
SLACK_DEFAULT_CHANNEL.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from inquiries.conf import setting
from inquiries.models import RoutingRule, TimeWindow
from integrations.slack.core.channel_rules import mention_markup, time_windows


@dataclass
class InquiryRoute:
    channels: list[str] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)
    rule: RoutingRule | None = None


def matches(rule: RoutingRule, inquiry, windows: set[str]) -> bool:
    if rule.categories and inquiry.category not in rule.categories:
        return False
    if rule.sources and inquiry.source not in rule.sources:
        return False
    if rule.product_contains and rule.product_contains.lower() not in (inquiry.product or "").lower():
        return False
    return rule.time_window == TimeWindow.ANY or rule.time_window in windows


def route(inquiry, *, moment: datetime | None = None, rules: list[RoutingRule] | None = None) -> InquiryRoute:
    """The channel (and mention) for ``inquiry``; ``rules`` lets a batch read them once."""
    windows = time_windows(moment or inquiry.received_at or timezone.now())
    for rule in rules if rules is not None else RoutingRule.objects.filter(is_active=True):
        if rule.is_active and matches(rule, inquiry, windows):
            mentions = [mention_markup(rule.mention)] if rule.mention else []
            return InquiryRoute(channels=[rule.channel], mentions=mentions, rule=rule)
    fallback = setting("INQUIRIES_SALES_CHANNEL") or settings.SLACK_DEFAULT_CHANNEL
    return InquiryRoute(channels=[fallback] if fallback else [])
