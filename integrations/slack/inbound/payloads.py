"""Small parsed shapes of Slack's inbound requests, so handlers never dig in raw dicts."""

import json
from dataclasses import dataclass, field
from urllib.parse import parse_qs


class BadPayload(ValueError):
    """The body is signed but not a shape Slack sends (answered with 400)."""


def message_link(team_domain: str, channel_id: str, ts: str = "") -> str:
    """A permalink built without calling chat.getPermalink (the Slack archive URL scheme)."""
    if not team_domain or not channel_id:
        return ""
    base = f"https://{team_domain}.slack.com/archives/{channel_id}"
    return f"{base}/p{ts.replace('.', '')}" if ts else base


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
        return message_link(self.team_domain, self.channel_id, self.message_ts)

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
    team = payload.get("team") or {}
    channel = payload.get("channel") or {}
    container = payload.get("container") or {}
    message = payload.get("message") or {}
    origin = SlackOrigin(
        user_id=user.get("id", ""),
        # Org-wide installs send team = null: the user's own team id is the fallback.
        team_id=team.get("id") or user.get("team_id", ""),
        team_domain=team.get("domain", ""),
        channel_id=channel.get("id") or container.get("channel_id", ""),
        message_ts=payload.get("message_ts") or container.get("message_ts") or message.get("ts", ""),
        thread_ts=message.get("thread_ts", ""),
    )
    view = payload.get("view") or {}
    return Interaction(
        type=payload.get("type", ""),
        origin=origin,
        raw=payload,
        trigger_id=payload.get("trigger_id", ""),
        response_url=payload.get("response_url", ""),
        callback_id=payload.get("callback_id") or view.get("callback_id", ""),
        actions=list(payload.get("actions") or []),
        view=view,
        message=message,
        container=container,
    )


def parse_event(envelope: dict, retry_num: str | None = None) -> Event:
    event = envelope.get("event")
    if not isinstance(event, dict) or not envelope.get("event_id"):
        raise BadPayload("event_callback without event or event_id")
    return Event(
        event_id=str(envelope["event_id"])[:64],
        type=str(event.get("type", "")),
        event=event,
        team_id=envelope.get("team_id", ""),
        retry_num=int(retry_num) if retry_num and str(retry_num).isdigit() else 0,
    )
