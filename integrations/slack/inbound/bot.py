"""Recognising our own bot in events, so it never reacts to its own messages."""

import logging
import threading

from django.conf import settings
from slack_sdk.errors import SlackClientError

from integrations.slack.core.client import get_client

logger = logging.getLogger(__name__)

_auth_test_user_id: str | None = None
_lock = threading.Lock()


def bot_user_ids(envelope_authorizations: list | None = None) -> set[str]:
    """Every id our bot user is known by, without a Slack call on the ack path.

    Sources: settings.SLACK_BOT_USER_ID, the bot authorizations Slack puts in every event
    envelope, and auth.test's answer once :func:`learn_bot_user_id` has cached it.
    """
    ids = {settings.SLACK_BOT_USER_ID or "", _auth_test_user_id or ""}
    for auth in envelope_authorizations or []:
        if isinstance(auth, dict) and auth.get("is_bot") and auth.get("user_id"):
            ids.add(auth["user_id"])
    ids.discard("")
    return ids


def learn_bot_user_id() -> str | None:
    """auth.test once per process (called off the ack path); the id is cached in memory."""
    global _auth_test_user_id
    with _lock:
        if _auth_test_user_id:
            return _auth_test_user_id
        try:
            _auth_test_user_id = get_client(timeout=5).auth_test().get("user_id")
        except (SlackClientError, OSError, RuntimeError) as exc:
            logger.info("auth.test failed, relying on event bot_id: %s", exc)
        return _auth_test_user_id


_warm_up_started = False


def warm_up() -> None:
    """Learn our bot user id once per process, after the ack (never on the request path)."""
    global _warm_up_started
    if _warm_up_started or _auth_test_user_id or settings.SLACK_BOT_USER_ID:
        return
    _warm_up_started = True
    from integrations.slack.inbound.deferred import defer

    defer(learn_bot_user_id)


def is_own_message(event: dict, authorizations: list | None = None) -> bool:
    """Messages posted by our bot (or any bot: bots do not file tickets or comments)."""
    if event.get("bot_id") or event.get("subtype") == "bot_message" or event.get("bot_profile"):
        return True
    return bool(event.get("user")) and event.get("user") in bot_user_ids(authorizations)
