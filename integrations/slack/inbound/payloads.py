"""Small parsed shapes of Slack's inbound requests, so handlers never dig in raw dicts."""

import json
from dataclasses import dataclass, field
from urllib.parse import parse_qs


class BadPayload(ValueError):
    """The body is signed but not a shape Slack sends (answered with 400)."""


def message_link(team_domain: str, channel_id: str, ts: str = "", thread_ts: str = "") -> str:
    """A permalink built without calling chat.getPermalink (the Slack archive URL scheme).

    A reply in a thread gets Slack's own ``?thread_ts=…&cid=…`` so the link opens the thread.
    """
    if not team_domain or not channel_id:
        return ""
    base = f"https://{team_domain}.slack.com/archives/{channel_id}"
    if not ts:
        return base
    link = f"{base}/p{ts.replace('.', '')}"
    return f"{link}?thread_ts={thread_ts}&cid={channel_id}" if thread_ts and thread_ts != ts else link


@dataclass(frozen=True)
class SlackOrigin:
    """Who acted in Slack and where: the part of every request the audit trail keeps."""

    user_id: str
    team_id: str = ""
    team_domain: str = ""
    channel_id: str = ""
    message_ts: str = ""
    thread_ts: str = ""

    @property
    def link(self) -> str:
        return message_link(self.team_domain, self.channel_id, self.message_ts, self.thread_ts)

    def audit_context(self) -> dict:
        context = {"slack_user_id": self.user_id, "slack_channel_id": self.channel_id}
        if not self.link:
            return context
        # A slash command has no message of its own: its link is the channel it was typed in,
        # and the audit trail says so instead of calling it a message.
        context["slack_message_link" if self.message_ts else "slack_channel_link"] = self.link
        return context


@dataclass(frozen=True)
class SlashCommand:
    command: str
    text: str
    origin: SlackOrigin
    trigger_id: str = ""
    response_url: str = ""
    channel_name: str = ""


@dataclass(frozen=True)
class Interaction:
    """block_actions, view_submission, view_closed, shortcut, message_action, block_suggestion."""

    type: str
    origin: SlackOrigin
    raw: dict
    trigger_id: str = ""
    response_url: str = ""
    callback_id: str = ""
    actions: list = field(default_factory=list)
    view: dict = field(default_factory=dict)
    message: dict = field(default_factory=dict)
    container: dict = field(default_factory=dict)

    @property
    def action(self) -> dict:
        return self.actions[0] if self.actions else {}

    @property
    def action_id(self) -> str:
        return self.action.get("action_id", "")

    @property
    def action_value(self) -> str:
        """A button's value, or a select's chosen option value."""
        action = self.action
        if action.get("selected_option"):
            return action["selected_option"].get("value", "")
        return action.get("value") or ""

    @property
    def is_ephemeral(self) -> bool:
        return bool(self.container.get("is_ephemeral"))

    @property
    def from_view(self) -> bool:
        return self.container.get("type") == "view" or (bool(self.view) and not self.message)

    @property
    def private_metadata(self) -> dict:
        try:
            data = json.loads(self.view.get("private_metadata") or "{}")
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}

    @property
    def state_values(self) -> dict:
        return (self.view.get("state") or {}).get("values") or {}


@dataclass(frozen=True)
class Event:
    """An Events API event_callback (the inner event plus its envelope ids)."""

    event_id: str
    type: str
    event: dict
    team_id: str = ""
    retry_num: int = 0

    @property
    def subtype(self) -> str:
        return self.event.get("subtype", "")


def _first(form: dict, key: str) -> str:
    values = form.get(key) or [""]
    return values[0]


def parse_form(body: bytes) -> dict:
    try:
        return parse_qs(body.decode("utf-8"), keep_blank_values=True)
    except UnicodeDecodeError:
        raise BadPayload("body is not UTF-8")


def parse_command(form: dict) -> SlashCommand:
    user_id = _first(form, "user_id")
    if not user_id or not _first(form, "command"):
        raise BadPayload("a slash command needs user_id and command")
    origin = SlackOrigin(
        user_id=user_id,
        team_id=_first(form, "team_id"),
        team_domain=_first(form, "team_domain"),
        channel_id=_first(form, "channel_id"),
    )
    return SlashCommand(
        command=_first(form, "command").strip().lower(),
        text=_first(form, "text"),
        origin=origin,
        trigger_id=_first(form, "trigger_id"),
        response_url=_first(form, "response_url"),
        channel_name=_first(form, "channel_name"),
    )


def _object(data: dict, key: str) -> dict:
    """``data[key]`` when it is an object, {} when absent or null; any other type is refused."""
    value = data.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise BadPayload(f"{key} is not an object")
    return value


def _text(data: dict, key: str) -> str:
    """``data[key]`` when it is a string, "" when absent or null; any other type is refused."""
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadPayload(f"{key} is not a string")
    return value


# A modal's submission carries no channel or message: the modal remembers in its
# private_metadata where it was opened ("channel", and "ts" / "thread_ts" of a real message;
# see tickets.handlers.common.interaction_metadata), so the audit link of what the modal does
# points there, and a modal opened elsewhere (App Home, an ephemeral reply) gets no link.
_VIEW_TYPES = ("view_submission", "view_closed")
_VIEW_ORIGIN_KEYS = ("channel", "ts", "thread_ts")


def _view_origin(view: dict) -> dict:
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except (TypeError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {key: data[key] for key in _VIEW_ORIGIN_KEYS if isinstance(data.get(key), str) and data[key]}


def parse_interaction(form: dict) -> Interaction:
    try:
        payload = json.loads(_first(form, "payload"))
    except ValueError:
        raise BadPayload("payload is not JSON")
    return interaction_from_payload(payload)


def interaction_from_payload(payload) -> Interaction:
    """The decoded interactivity payload (Socket Mode sends it as JSON, not in a form)."""
    if not isinstance(payload, dict) or not isinstance(payload.get("user"), dict):
        raise BadPayload("payload has no user")
    user = payload["user"]
    team, channel = _object(payload, "team"), _object(payload, "channel")
    container, message, view = _object(payload, "container"), _object(payload, "message"), _object(payload, "view")
    actions = payload.get("actions") or []
    where = _view_origin(view) if _text(payload, "type") in _VIEW_TYPES else {}
    if not isinstance(actions, list) or not all(isinstance(action, dict) for action in actions):
        raise BadPayload("actions is not a list of objects")
    if "state" in view and not isinstance(view["state"], dict):
        raise BadPayload("view.state is not an object")
    origin = SlackOrigin(
        user_id=_text(user, "id"),
        # Org-wide installs send team = null: the user's own team id is the fallback.
        team_id=_text(team, "id") or _text(user, "team_id"),
        team_domain=_text(team, "domain"),
        channel_id=_text(channel, "id") or _text(container, "channel_id") or where.get("channel", ""),
        message_ts=_text(payload, "message_ts")
        or _text(container, "message_ts")
        or _text(message, "ts")
        or where.get("ts", ""),
        thread_ts=_text(message, "thread_ts") or where.get("thread_ts", ""),
    )
    return Interaction(
        type=_text(payload, "type"),
        origin=origin,
        raw=payload,
        trigger_id=_text(payload, "trigger_id"),
        response_url=_text(payload, "response_url"),
        callback_id=_text(payload, "callback_id") or _text(view, "callback_id"),
        actions=list(actions),
        view=view,
        message=message,
        container=container,
    )


# Event fields handlers read as text; a signed event carrying another type there is refused.
_EVENT_TEXT_FIELDS = ("type", "subtype", "channel", "ts", "thread_ts", "text", "bot_id", "tab", "team")
# ``user`` is an id in these events (an object in others, such as team_join).
_USER_ID_EVENTS = ("message", "app_home_opened", "app_mention", "reaction_added", "reaction_removed")
# Slack retries a delivery three times; the receipt column is a small integer.
_MAX_RETRY_NUM = 1000


def parse_retry_num(header: str | None) -> int:
    """X-Slack-Retry-Num is not covered by the signature: anything but a small number is 0."""
    if header and header.isascii() and header.isdigit() and len(header) <= 4:
        return min(int(header), _MAX_RETRY_NUM)
    return 0


def parse_event(envelope: dict, retry_num: str | None = None) -> Event:
    event = envelope.get("event")
    if not isinstance(event, dict) or not envelope.get("event_id"):
        raise BadPayload("event_callback without event or event_id")
    for key in _EVENT_TEXT_FIELDS:
        _text(event, key)
    if event.get("type") in _USER_ID_EVENTS:
        _text(event, "user")
    elif event.get("user") is not None and not isinstance(event["user"], str | dict):
        raise BadPayload("user is neither an id nor an object")
    if not isinstance(envelope["event_id"], str):
        raise BadPayload("event_id is not a string")
    authorizations = envelope.get("authorizations")
    if authorizations is not None and not (
        isinstance(authorizations, list) and all(isinstance(item, dict) for item in authorizations)
    ):
        raise BadPayload("authorizations is not a list of objects")
    if event.get("bot_profile") is not None and not isinstance(event["bot_profile"], dict):
        raise BadPayload("bot_profile is not an object")
    return Event(
        event_id=envelope["event_id"][:64],
        type=_text(event, "type"),
        event=event,
        team_id=_text(envelope, "team_id"),
        retry_num=parse_retry_num(retry_num),
    )
