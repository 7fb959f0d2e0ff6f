"""What we know about the Slack workspace without asking Slack on the ack path."""

import threading

from django.conf import settings

from integrations.slack.inbound.payloads import message_link

_domains: dict[str, str] = {}
_lock = threading.Lock()


def remember_domain(team_id: str, team_domain: str) -> None:
    """Commands and interactions carry the team's domain; events do not, so keep it."""
    if team_id and team_domain:
        with _lock:
            _domains[team_id] = team_domain


def domain_of(team_id: str) -> str:
    with _lock:
        return _domains.get(team_id) or settings.SLACK_TEAM_DOMAIN or ""


def event_message_link(team_id: str, channel_id: str, ts: str, thread_ts: str = "") -> str:
    """Archive permalink when the domain is known, else the web client's thread URL."""
    domain = domain_of(team_id)
    if domain:
        link = message_link(domain, channel_id, ts)
        return f"{link}?thread_ts={thread_ts}&cid={channel_id}" if thread_ts and thread_ts != ts else link
    if team_id and channel_id and thread_ts:
        return f"https://app.slack.com/client/{team_id}/{channel_id}/thread/{channel_id}-{thread_ts}"
    return ""


def forget_domains() -> None:
    with _lock:
        _domains.clear()
