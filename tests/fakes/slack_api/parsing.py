"""Request parsing and HTTP answers (``Reply`` and its builders) for the Slack stand-in."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from urllib.parse import parse_qsl

# Form fields holding free text: never guess that they are JSON, even when
# the text happens to look like "[...]".
_FREE_TEXT_FIELDS = frozenset({"text", "name", "email", "topic", "purpose", "query"})


class SlackError(Exception):
    """A Slack API error (``{"ok": false, "error": ...}``) raised by a method handler.

    ``messages`` explain it the way Slack does in ``response_metadata.messages``
    (``[ERROR] must be less than 151 characters [json-pointer:/blocks/0/text/text]``).
    """

    def __init__(self, error: str, messages: Sequence[str] = ()):
        super().__init__(error, *messages)
        self.error = error
        self.messages = list(messages)

    def payload(self) -> dict:
        body = {"ok": False, "error": self.error}
        if self.error == "invalid_blocks" and self.messages:
            body["errors"] = list(self.messages)  # chat.* also list them bare, beside the metadata
        if self.messages:
            body["response_metadata"] = {"messages": [f"[ERROR] {message}" for message in self.messages]}
        return body


class Rejected(SlackError):
    """The request itself is malformed (unknown method, missing argument, invalid blocks):
    Slack refuses it whatever the workspace holds, so it always points at a bug in the caller."""


@dataclass(frozen=True)
class Reply:
    """An HTTP answer, decoupled from the request handler so it is easy to build and test."""

    status: int
    body: bytes
    headers: dict = field(default_factory=dict)


def json_reply(payload: dict, status: int = 200, headers: dict | None = None) -> Reply:
    """Serialise a Slack-style JSON answer."""
    all_headers = {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
    return Reply(status, json.dumps(payload).encode("utf-8"), all_headers)


def error_reply(error: str) -> Reply:
    """Slack reports API errors with HTTP 200 and ``ok: false``."""
    return json_reply({"ok": False, "error": error})


def html_reply(status: int) -> Reply:
    """What a load balancer in front of Slack returns on 5xx: HTML, not JSON."""
    body = f"<html><head><title>{status}</title></head><body><h1>{status} Server Error</h1></body></html>"
    return Reply(status, body.encode("utf-8"), {"Content-Type": "text/html; charset=utf-8"})


# --------------------------------------------------------------------------
# Request parsing
# --------------------------------------------------------------------------


def parse_args(query: str, body: bytes, content_type: str) -> dict:
    """Merge query-string and body arguments the way Slack accepts them.

    slack_sdk sends JSON for some methods, form-encoded or multipart for
    others; structured fields (``blocks``, ``view``...) sent as form fields
    arrive as JSON strings and are decoded so tests see the same shape either way.
    """
    args = dict(parse_qsl(query, keep_blank_values=True))
    args.update(_parse_body(body, content_type))
    return {key: _decode_json_field(key, value) for key, value in args.items()}


def _parse_body(body: bytes, content_type: str) -> dict:
    if not body:
        return {}
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type == "application/json":
        return _parse_json_body(body)
    if media_type == "multipart/form-data":
        return _parse_multipart_body(body, content_type)
    return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))


def _parse_json_body(body: bytes) -> dict:
    try:
        parsed = json.loads(body)
    except ValueError:
        raise SlackError("invalid_json") from None
    if not isinstance(parsed, dict):
        raise SlackError("invalid_json")
    return parsed


def _parse_multipart_body(body: bytes, content_type: str) -> dict:
    """Decode multipart fields; uploaded files stay bytes, other fields become str."""
    envelope = b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body
    message = BytesParser(policy=HTTP).parsebytes(envelope)
    fields = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        is_file = part.get_filename() is not None
        fields[name] = payload if is_file else payload.decode(part.get_content_charset() or "utf-8")
    return fields


def _decode_json_field(key: str, value: object) -> object:
    if key in _FREE_TEXT_FIELDS or not isinstance(value, str) or value[:1] not in ("[", "{"):
        return value
    try:
        decoded = json.loads(value)
    except ValueError:
        return value
    return decoded if isinstance(decoded, (list, dict)) else value


def _id_list(value: object) -> list[str]:
    """Slack takes user lists as comma-separated strings (or arrays in JSON)."""
    items = value if isinstance(value, list) else str(value or "").split(",")
    return [item.strip() for item in items if item.strip()]


def _truthy(value: object) -> bool:
    return str(value).lower() in ("1", "true", "yes")


def _channel_of(args: dict) -> str | None:
    channel = args.get("channel")
    return channel if isinstance(channel, str) else None
