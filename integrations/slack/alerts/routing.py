"""Where a group's message goes, and who is paged.

Channels: the source's own channel, else its owner team's channel, else SLACK_DEFAULT_CHANNEL;
a critical group also goes to the source's critical channel. Outside business hours (the
company calendar: nights, weekends, holidays, company days off) a critical or error group
is also sent by DM to the owner team's on-call person (tickets' on-call roster), unless the
group is snoozed or the source does not page.
"""

from datetime import datetime

from django.conf import settings

from alerts.models import AlertGroup, Severity
from integrations.slack.core.channel_rules import time_windows
from integrations.slack.core.models import TimeWindow
from tickets.oncall.selectors import on_call_now

PAGED_SEVERITIES = (Severity.CRITICAL, Severity.ERROR)


def release_channel(source) -> str:
    """The source's channel, else its owner team's, else SLACK_DEFAULT_CHANNEL ("" for none)."""
    team = source.owner_team
    return source.slack_channel or (team.slack_channel_id if team else "") or settings.SLACK_DEFAULT_CHANNEL


def channels_for(group: AlertGroup) -> list[str]:
    source = group.source
    main = release_channel(source)
    channels = [main] if main else []
    if group.severity == Severity.CRITICAL and source.critical_channel and source.critical_channel not in channels:
        channels.append(source.critical_channel)
    return channels


def pager_for(group: AlertGroup, moment: datetime):
    """The Employee to page for ``group`` at ``moment``, or None (business hours, snoozed …)."""
    source = group.source
    if not source.page_on_call_after_hours or group.severity not in PAGED_SEVERITIES:
        return None
    if group.snoozed_until and group.snoozed_until > moment:
        return None
    if TimeWindow.AFTER_HOURS not in time_windows(moment):
        return None
    return on_call_now(source.owner_team, moment)
