"""Genuinely signed inbound Slack requests, shaped like Slack's documented payloads.

Why: the portal's request verifier must be tested against real signatures,
so ``sign`` is computed here with ``hmac``/``hashlib`` (not via slack_sdk)
and independently cross-checks whatever the verifier uses.  The payload
builders follow Slack's documentation field for field so views never see
a shape Slack would not send.

Naming: ``*_body`` functions return the exact request body bytes to sign and
post; ``*_payload`` functions return the interactivity payload dict, which
``interactivity_form_body`` turns into the ``payload=<json>`` form body.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
import uuid
from urllib.parse import urlencode

from .slack_api import DEFAULT_IDENTITY

DEFAULT_USER_ID = "UFAKEUSER1"
DEFAULT_CHANNEL_ID = "CFAKECHAN1"
DEFAULT_CHANNEL_NAME = "general"
VERIFICATION_TOKEN = "fake-verification-token"

_serial = itertools.count(100_000_000_001)


# --------------------------------------------------------------------------
# Signing
# --------------------------------------------------------------------------


def sign(secret: str, timestamp: int | str, body: bytes | str) -> str:
    """Slack's v0 signature: ``v0=`` + hex HMAC-SHA256 of ``v0:{timestamp}:{body}``."""
    raw_body = body.encode("utf-8") if isinstance(body, str) else body
    base = b"v0:" + str(timestamp).encode("ascii") + b":" + raw_body
    return "v0=" + hmac.new(secret.encode("utf-8"), base, hashlib.sha256).hexdigest()


def signed_http_headers(secret: str, body: bytes | str, timestamp: int | str | None = None) -> dict[str, str]:
    """Raw HTTP header names, for real HTTP clients or ``SignatureVerifier``."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    return {
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": sign(secret, stamp, body),
    }


def signed_headers(secret: str, body: bytes | str, timestamp: int | str | None = None) -> dict[str, str]:
    """Django test-client ``**extra`` keys (``HTTP_X_SLACK_...``) for ``client.post``."""
    return {
        "HTTP_" + name.upper().replace("-", "_"): value
        for name, value in signed_http_headers(secret, body, timestamp).items()
    }


# --------------------------------------------------------------------------
# Generated ids (unique per process, shaped like Slack's)
# --------------------------------------------------------------------------


def new_trigger_id() -> str:
    """Shaped like ``398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c``."""
    return f"{next(_serial)}.{next(_serial)}.{uuid.uuid4().hex}"


def new_action_ts() -> str:
    return f"{time.time():.6f}"


def _response_url(kind: str, team_id: str) -> str:
    return f"https://hooks.slack.com/{kind}/{team_id}/{next(_serial)}/{uuid.uuid4().hex[:24]}"


def _user_name(user_id: str) -> str:
    return f"user.{user_id.lower()}"


# --------------------------------------------------------------------------
# Slash commands, Events API
# --------------------------------------------------------------------------


def slash_command_body(
    command: str,
    text: str = "",
    user_id: str = DEFAULT_USER_ID,
    channel_id: str = DEFAULT_CHANNEL_ID,
    *,
    team_id: str = DEFAULT_IDENTITY.team_id,
    trigger_id: str | None = None,
    response_url: str | None = None,
    user_name: str | None = None,
    channel_name: str = DEFAULT_CHANNEL_NAME,
    enterprise_id: str = "",
    enterprise_name: str = "",
) -> bytes:
    """The form body Slack posts for a slash command, all documented fields in order."""
    fields = {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "team_domain": DEFAULT_IDENTITY.team_domain,
        "enterprise_id": enterprise_id,
        "enterprise_name": enterprise_name,
        "channel_id": channel_id,
        "channel_name": channel_name,
        "user_id": user_id,
        "user_name": user_name or _user_name(user_id),
        "command": command,
        "text": text,
        "response_url": response_url or _response_url("commands", team_id),
        "trigger_id": trigger_id or new_trigger_id(),
        "api_app_id": DEFAULT_IDENTITY.api_app_id,
        "is_enterprise_install": "false",
    }
    return urlencode(fields).encode("utf-8")


def event_callback_body(event: dict, event_id: str | None = None, team_id: str = DEFAULT_IDENTITY.team_id) -> bytes:
    """The JSON body of an Events API ``event_callback`` delivery."""
    body = {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "api_app_id": DEFAULT_IDENTITY.api_app_id,
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
        "event_time": int(time.time()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": DEFAULT_IDENTITY.bot_user_id,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": f"4-{uuid.uuid4().hex}",
    }
    return json.dumps(body).encode("utf-8")


def url_verification_body(challenge: str) -> bytes:
    """The handshake Slack sends when the Events request URL is configured."""
    body = {"token": VERIFICATION_TOKEN, "challenge": challenge, "type": "url_verification"}
    return json.dumps(body).encode("utf-8")


# --------------------------------------------------------------------------
# Block Kit element states (for view.state.values)
# --------------------------------------------------------------------------


def option(value: str, text: str | None = None) -> dict:
    """A Block Kit option object."""
    return {
        "text": {"type": "plain_text", "text": text or value, "emoji": True},
        "value": value,
    }


def plain_text(value: str | None) -> dict:
    return {"type": "plain_text_input", "value": value}


def static_select(value: str | None, text: str | None = None) -> dict:
    selected = None if value is None else option(value, text)
    return {"type": "static_select", "selected_option": selected}


def users_select(user_id: str | None) -> dict:
    return {"type": "users_select", "selected_user": user_id}


def checkboxes(values: list[str] | tuple[str, ...] = ()) -> dict:
    return {"type": "checkboxes", "selected_options": [option(v) for v in values]}


def _element_state(value: object) -> dict:
    """Plain values are text inputs; dicts built by the helpers above pass through."""
    if isinstance(value, dict):
        return value
    return plain_text(None if value is None else str(value))


def state_values(values: dict[str, dict[str, object]]) -> dict:
    """``{block_id: {action_id: value}}`` -> Slack's ``view.state.values`` shape."""
    return {
        block_id: {action_id: _element_state(value) for action_id, value in actions.items()}
        for block_id, actions in values.items()
    }


# --------------------------------------------------------------------------
# Interactivity payloads
# --------------------------------------------------------------------------


def modal_view(
    callback_id: str,
    values: dict[str, dict[str, object]] | None = None,
    private_metadata: str = "",
    *,
    view_id: str | None = None,
    blocks: list[dict] | None = None,
    title: str = "Fake modal",
) -> dict:
    """A modal view object as it appears inside interactivity payloads."""
    view_id = view_id or f"V{uuid.uuid4().hex[:10].upper()}"
    ident = DEFAULT_IDENTITY
    return {
        "id": view_id,
        "team_id": ident.team_id,
        "type": "modal",
        "blocks": blocks or [],
        "private_metadata": private_metadata,
        "callback_id": callback_id,
        "state": {"values": state_values(values or {})},
        "hash": f"{int(time.time())}.{uuid.uuid4().hex[:8]}",
        "title": {"type": "plain_text", "text": title, "emoji": True},
        "clear_on_close": False,
        "notify_on_close": False,
        "close": None,
        "submit": {"type": "plain_text", "text": "Submit", "emoji": True},
        "previous_view_id": None,
        "root_view_id": view_id,
        "app_id": ident.api_app_id,
        "external_id": "",
        "app_installed_team_id": ident.team_id,
        "bot_id": ident.bot_id,
    }


def _envelope(kind: str, user_id: str, team_id: str) -> dict:
    """Fields every interactivity payload carries."""
    return {
        "type": kind,
        "token": VERIFICATION_TOKEN,
        "team": {"id": team_id, "domain": DEFAULT_IDENTITY.team_domain},
        "user": {
            "id": user_id,
            "username": _user_name(user_id),
            "name": _user_name(user_id),
            "team_id": team_id,
        },
        "api_app_id": DEFAULT_IDENTITY.api_app_id,
        "is_enterprise_install": False,
        "enterprise": None,
        "trigger_id": new_trigger_id(),
    }


def _bot_message(text: str, ts: str, blocks: list[dict] | None = None) -> dict:
    return {
        "type": "message",
        "user": DEFAULT_IDENTITY.bot_user_id,
        "bot_id": DEFAULT_IDENTITY.bot_id,
        "team": DEFAULT_IDENTITY.team_id,
        "ts": ts,
        "text": text,
        "blocks": blocks or [],
    }


def _action(action_id: str, block_id: str | None, value: str | None, selected_option: object) -> dict:
    """A button (``value``) or static_select (``selected_option``) action."""
    base = {
        "action_id": action_id,
        "block_id": block_id or f"block-{action_id}",
        "action_ts": new_action_ts(),
    }
    if selected_option is None:
        label = {"type": "plain_text", "text": value or action_id, "emoji": True}
        return {**base, "type": "button", "text": label, "value": value}
    chosen = selected_option if isinstance(selected_option, dict) else option(str(selected_option))
    return {**base, "type": "static_select", "selected_option": chosen}


def block_actions_payload(
    action_id: str,
    value: str | None = None,
    *,
    selected_option: str | dict | None = None,
    block_id: str | None = None,
    user_id: str = DEFAULT_USER_ID,
    team_id: str = DEFAULT_IDENTITY.team_id,
    channel_id: str = DEFAULT_CHANNEL_ID,
    message_ts: str = "1700000000.000100",
    message_text: str = "",
    message_blocks: list[dict] | None = None,
    view: dict | None = None,
) -> dict:
    """A ``block_actions`` payload from a message, or from a modal when ``view`` is given.

    Build ``view`` with ``modal_view(...)``; ``selected_option`` (a value or
    an ``option(...)``) makes the action a static_select instead of a button.
    """
    payload = _envelope("block_actions", user_id, team_id)
    payload["actions"] = [_action(action_id, block_id, value, selected_option)]
    if view is not None:
        return {**payload, "container": {"type": "view", "view_id": view["id"]}, "view": view}
    return {
        **payload,
        "container": {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel_id,
            "is_ephemeral": False,
        },
        "channel": {"id": channel_id, "name": DEFAULT_CHANNEL_NAME},
        "message": _bot_message(message_text, message_ts, message_blocks),
        "state": {"values": {}},
        "response_url": _response_url("actions", team_id),
    }


def view_submission_payload(
    callback_id: str,
    values: dict[str, dict[str, object]],
    private_metadata: str = "",
    user_id: str = DEFAULT_USER_ID,
    *,
    team_id: str = DEFAULT_IDENTITY.team_id,
    view_id: str | None = None,
) -> dict:
    """A ``view_submission`` payload; ``values`` is ``{block_id: {action_id: value}}``.

    Values may be plain strings/None (text inputs) or the element-state
    helpers: ``static_select``, ``users_select``, ``checkboxes``, ``plain_text``.
    """
    view = modal_view(callback_id, values, private_metadata, view_id=view_id)
    return {**_envelope("view_submission", user_id, team_id), "view": view, "response_urls": []}


def message_action_payload(
    callback_id: str,
    message_text: str,
    user_id: str = DEFAULT_USER_ID,
    channel_id: str = DEFAULT_CHANNEL_ID,
    message_ts: str = "1700000000.000100",
    *,
    team_id: str = DEFAULT_IDENTITY.team_id,
) -> dict:
    """A message shortcut (``message_action``) invoked on a message."""
    message = {
        "type": "message",
        "user": user_id,
        "ts": message_ts,
        "text": message_text,
    }
    return {
        **_envelope("message_action", user_id, team_id),
        "action_ts": new_action_ts(),
        "callback_id": callback_id,
        "channel": {"id": channel_id, "name": DEFAULT_CHANNEL_NAME},
        "message_ts": message_ts,
        "message": message,
        "response_url": _response_url("app", team_id),
    }


def shortcut_payload(
    callback_id: str,
    user_id: str = DEFAULT_USER_ID,
    *,
    team_id: str = DEFAULT_IDENTITY.team_id,
) -> dict:
    """A global shortcut (``shortcut``) invoked from the shortcuts menu."""
    return {
        **_envelope("shortcut", user_id, team_id),
        "action_ts": new_action_ts(),
        "callback_id": callback_id,
    }


def interactivity_form_body(payload: dict) -> bytes:
    """Slack posts interactivity as a form with one field: ``payload=<json>``."""
    return urlencode({"payload": json.dumps(payload)}).encode("utf-8")
