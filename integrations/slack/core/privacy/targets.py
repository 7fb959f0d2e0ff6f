"""Classifying a Slack target at send time: who can read it?

``conversations.info`` says whether a channel is private, a DM, or shared with another
organisation (``is_ext_shared`` / ``is_shared``: Slack Connect); ``conversations.members``
and ``users.info`` (``is_restricted`` / ``is_ultra_restricted``: multi- and single-channel
guests) whether a guest can read it. A user id target (a DM) is a DM unless the person is
a guest or from another organisation. Answers are cached (``SLACK_PRIVACY_TARGET_TTL_SECONDS``);
when Slack cannot answer, the target counts as the most restrictive class for a short
while (``SLACK_PRIVACY_FALLBACK_TTL_SECONDS``), so a message is withheld rather than leaked.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from integrations.slack.core.privacy.classes import MOST_RESTRICTIVE, TargetClass

logger = logging.getLogger(__name__)

_TARGET_KEY = "slack-privacy:target:{}"
_USER_KEY = "slack-privacy:user:{}"
# A channel whose member list is longer than this many pages is not read to the end:
# it counts as having guests (the policy errs on the closed side).
MEMBER_PAGES = 25
MEMBER_PAGE_SIZE = 200


@dataclass(frozen=True)
class Classified:
    target_class: str
    source: str  # "slack", "cache" or "fallback" (Slack could not tell)


class Unreachable(Exception):
    """Slack did not answer a classification call (network, 5xx, 429, missing scope …)."""


def classify(client: WebClient | None, target: str) -> Classified:
    """The target class of ``target`` (a channel id or a user id); never raises."""
    cached = cache.get(_TARGET_KEY.format(target))
    if cached in TargetClass.values:
        return Classified(cached, "cache")
    try:
        if client is None:
            raise Unreachable("no Slack client")
        found = _classify(client, target)
    except Unreachable as exc:
        logger.warning("Slack target %s could not be classified (%s): treated as %s", target, exc, MOST_RESTRICTIVE)
        cache.set(_TARGET_KEY.format(target), MOST_RESTRICTIVE, settings.SLACK_PRIVACY_FALLBACK_TTL_SECONDS)
        return Classified(MOST_RESTRICTIVE, "fallback")
    cache.set(_TARGET_KEY.format(target), found, settings.SLACK_PRIVACY_TARGET_TTL_SECONDS)
    return Classified(found, "slack")


def forget(target: str) -> None:
    """Drop a cached classification (e.g. after a channel's membership changed)."""
    cache.delete(_TARGET_KEY.format(target))


def _call(client: WebClient, method: str, **kwargs) -> dict:
    try:
        return getattr(client, method)(**kwargs).data
    except SlackApiError as exc:
        raise Unreachable(f"{method}: {exc.response.get('error') if exc.response else exc}") from exc
    except Exception as exc:  # timeouts, refused connections, bad JSON
        raise Unreachable(f"{method}: {type(exc).__name__}") from exc


def _classify(client: WebClient, target: str) -> str:
    if target[:1] in ("U", "W"):
        return _user_class(client, target, as_dm=True)
    if target.startswith("#"):
        raise Unreachable("a channel name, not an id")
    channel = _call(client, "conversations_info", channel=target).get("channel") or {}
    if channel.get("is_ext_shared") or channel.get("is_shared") or channel.get("is_pending_ext_shared"):
        return TargetClass.SHARED
    if channel.get("is_im"):
        partner = channel.get("user")
        return _user_class(client, partner, as_dm=True) if partner else TargetClass.DIRECT_MESSAGE
    guests = _has_guests(client, target)
    if guests:
        return guests
    if channel.get("is_private") or channel.get("is_group") or channel.get("is_mpim"):
        return TargetClass.PRIVATE_CHANNEL
    return TargetClass.PUBLIC_CHANNEL


def _has_guests(client: WebClient, channel: str) -> str:
    """WITH_GUESTS / SHARED when any member is a guest or from elsewhere, else ""."""
    cursor = ""
    for _page in range(MEMBER_PAGES):
        kwargs = {"channel": channel, "limit": MEMBER_PAGE_SIZE}
        if cursor:
            kwargs["cursor"] = cursor
        data = _call(client, "conversations_members", **kwargs)
        for member in data.get("members") or []:
            found = _user_class(client, member, as_dm=False)
            if found:
                return found
        cursor = (data.get("response_metadata") or {}).get("next_cursor") or ""
        if not cursor:
            return ""
    return TargetClass.WITH_GUESTS


def _user_class(client: WebClient, user_id: str, *, as_dm: bool) -> str:
    """A guest → WITH_GUESTS, another organisation's user → SHARED, else DM (or "")."""
    key = _USER_KEY.format(user_id)
    kind = cache.get(key)
    if kind is None:
        try:
            user = _call(client, "users_info", user=user_id).get("user") or {}
        except Unreachable as exc:
            if "user_not_found" not in str(exc):
                raise
            user = {}  # nobody to deliver to: the post itself fails with Slack's error
        if user.get("is_restricted") or user.get("is_ultra_restricted"):
            kind = TargetClass.WITH_GUESTS
        elif user.get("is_stranger"):  # from another organisation (Slack Connect)
            kind = TargetClass.SHARED
        else:
            kind = ""
        cache.set(key, kind, settings.SLACK_PRIVACY_TARGET_TTL_SECONDS)
    if kind:
        return kind
    return TargetClass.DIRECT_MESSAGE if as_dm else ""
