"""A real HTTP stand-in for Slack's Web API, for tests and manual runs.

Why a server and not mocks: the code under test must go through the genuine
``slack_sdk`` client (request encoding, error mapping, retry handlers,
timeouts), so tests point ``WebClient(token=..., base_url=fake.base_url)`` at
this server instead of patching ``slack_sdk`` methods.  The server keeps just
enough workspace state (messages, channels, users, views, pins) to answer the
way Slack does, records every request, and can inject the failures Slack
produces in real life: API errors, HTTP 429 with ``Retry-After``, 5xx pages
and slow answers.

Standalone use (prints the base URL, serves until killed)::

    python -m tests.fakes.slack_api --port 8765
"""

from __future__ import annotations

import argparse
import copy
import itertools
import json
import math
import random
import re
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self
from urllib.parse import parse_qsl, urlsplit

DEFAULT_TOKEN = "xoxb-test-token"

FAULT_ERROR = "error"
FAULT_RATELIMITED = "ratelimited"
FAULT_SERVER_ERROR = "server_error"
FAULT_DELAY = "delay"

# Form fields holding free text: never guess that they are JSON, even when
# the text happens to look like "[...]".
_FREE_TEXT_FIELDS = frozenset({"text", "name", "email", "topic", "purpose", "query"})
_CHANNEL_NAME = re.compile(r"[a-z0-9_\-]+")
_CHANNEL_NAME_MAX = 80
_FIRST_TS_SECONDS = 1_700_000_000
_TS_STEP_MICROS = 100


@dataclass(frozen=True)
class Identity:
    """Who the fake workspace and its bot are; shared with the payload builders."""

    team_id: str = "TFAKETEAM1"
    team_domain: str = "fake-workspace"
    team_name: str = "Fake Workspace"
    bot_user_id: str = "UFAKEBOT01"
    bot_id: str = "BFAKEBOT01"
    bot_name: str = "fake-bot"
    api_app_id: str = "AFAKEAPP01"


DEFAULT_IDENTITY = Identity()


@dataclass(frozen=True)
class Call:
    """One request received, faulted or not, so tests can count attempts and retries.

    ``headers`` keys are lower-cased (HTTP header names are case-insensitive
    and urllib re-capitalises them); ``fault`` is one of the ``FAULT_*``
    kinds when a fault answered (or delayed) this call, else None.
    """

    method: str
    args: dict
    headers: dict
    at: float
    fault: str | None = None


class SlackError(Exception):
    """A Slack API error (``{"ok": false, "error": ...}``) raised by a method handler."""

    def __init__(self, error: str):
        super().__init__(error)
        self.error = error


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


def _require(args: dict, key: str, error: str = "invalid_arguments") -> object:
    value = args.get(key)
    if value in (None, "", [], {}):
        raise SlackError(error)
    return value


def _id_list(value: object) -> list[str]:
    """Slack takes user lists as comma-separated strings (or arrays in JSON)."""
    items = value if isinstance(value, list) else str(value or "").split(",")
    return [item.strip() for item in items if item.strip()]


def _truthy(value: object) -> bool:
    return str(value).lower() in ("1", "true", "yes")


def _channel_of(args: dict) -> str | None:
    channel = args.get("channel")
    return channel if isinstance(channel, str) else None


# --------------------------------------------------------------------------
# Faults
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Fault:
    """What the stand-in does instead of (or, for delays, before) answering normally."""

    kind: str
    error: str = ""
    status: int = 200
    retry_after: int = 0
    seconds: float = 0.0

    def reply(self) -> Reply | None:
        """The answer replacing Slack's normal one; None means answer normally after the delay."""
        if self.kind == FAULT_ERROR:
            return error_reply(self.error)
        if self.kind == FAULT_RATELIMITED:
            headers = {"Retry-After": str(self.retry_after)}
            return json_reply({"ok": False, "error": "ratelimited"}, status=429, headers=headers)
        if self.kind == FAULT_SERVER_ERROR:
            return html_reply(self.status)
        return None


def _applies(methods: frozenset[str] | None, method: str) -> bool:
    return methods is None or method in methods


def _method_set(methods: Iterable[str] | None) -> frozenset[str] | None:
    return None if methods is None else frozenset(methods)


@dataclass
class _ScriptedFault:
    method: str
    channel: str | None
    fault: Fault
    remaining: int

    def matches(self, method: str, channel: str | None) -> bool:
        return self.method == method and self.channel in (None, channel)


@dataclass
class _FaultProfile:
    """Random faults for benchmarks: each call independently rolls one die."""

    rate_5xx: float
    rate_429: float
    rate_timeout: float
    retry_after_range: tuple[int, int]
    timeout_seconds: float
    rng: random.Random
    methods: frozenset[str] | None

    def draw(self, method: str) -> Fault | None:
        if not _applies(self.methods, method):
            return None
        roll = self.rng.random()
        if roll < self.rate_5xx:
            return Fault(FAULT_SERVER_ERROR, status=self.rng.choice((500, 502, 503)))
        roll -= self.rate_5xx
        if roll < self.rate_429:
            return Fault(FAULT_RATELIMITED, retry_after=self.rng.randint(*self.retry_after_range))
        roll -= self.rate_429
        if roll < self.rate_timeout:
            return Fault(FAULT_DELAY, seconds=self.timeout_seconds)
        return None


@dataclass
class _ChannelRateLimiter:
    """Token bucket per channel, like Slack's "about one message per second per channel"."""

    rate: float
    burst: float
    methods: frozenset[str] | None
    buckets: dict[str, tuple[float, float]] = field(default_factory=dict)

    def check(self, method: str, channel: str | None, now: float) -> Fault | None:
        if channel is None or not _applies(self.methods, method):
            return None
        tokens, updated = self.buckets.get(channel, (self.burst, now))
        tokens = min(self.burst, tokens + (now - updated) * self.rate)
        if tokens >= 1:
            self.buckets[channel] = (tokens - 1, now)
            return None
        self.buckets[channel] = (tokens, now)
        return Fault(FAULT_RATELIMITED, retry_after=max(1, math.ceil((1 - tokens) / self.rate)))


class _FaultPlan:
    """Decides whether a call is faulted: scripted faults (FIFO) first, then random, then rate limit."""

    def __init__(self) -> None:
        self._scripted: list[_ScriptedFault] = []
        self.profile: _FaultProfile | None = None
        self.limiter: _ChannelRateLimiter | None = None

    def script(self, method: str, fault: Fault, times: int, channel: str | None) -> None:
        if times < 1:
            raise ValueError("times must be >= 1")
        self._scripted.append(_ScriptedFault(method, channel, fault, times))

    def decide(self, method: str, channel: str | None, now: float) -> Fault | None:
        return (
            self._take_scripted(method, channel)
            or (self.profile and self.profile.draw(method))
            or (self.limiter and self.limiter.check(method, channel, now))
            or None
        )

    def _take_scripted(self, method: str, channel: str | None) -> Fault | None:
        for entry in self._scripted:
            if entry.matches(method, channel):
                entry.remaining -= 1
                if entry.remaining == 0:
                    self._scripted.remove(entry)
                return entry.fault
        return None


# --------------------------------------------------------------------------
# Workspace state and method handlers
# --------------------------------------------------------------------------


def _public(record: dict) -> dict:
    """A copy without unset keys, as Slack omits absent fields."""
    return {key: copy.deepcopy(value) for key, value in record.items() if value is not None}


class _Workspace:
    """Slack-side state and per-method answers. Not locked itself: FakeSlackAPI guards it."""

    def __init__(self, identity: Identity):
        self.identity = identity
        self.messages: dict[str, list[dict]] = {}
        self.channels: dict[str, dict] = {}
        self.members: dict[str, set[str]] = {}
        self.conversations_by_users: dict[str, str] = {}
        self.pins: dict[str, list[str]] = {}
        self.users_by_email: dict[str, dict] = {}
        self.usergroups: list[dict] = []
        self.views: dict[str, dict] = {}
        self.home_views: dict[str, str] = {}
        self._ids = itertools.count(1)
        self._ts = itertools.count(1)
        self.handlers: dict[str, Callable[[dict], dict]] = {
            "auth.test": self.auth_test,
            "chat.postMessage": self.chat_post_message,
            "chat.update": self.chat_update,
            "chat.postEphemeral": self.chat_post_ephemeral,
            "chat.getPermalink": self.chat_get_permalink,
            "conversations.create": self.conversations_create,
            "conversations.invite": self.conversations_invite,
            "conversations.join": self.conversations_join,
            "conversations.open": self.conversations_open,
            "pins.add": self.pins_add,
            "views.open": self.views_open,
            "views.push": self.views_open,
            "views.update": self.views_update,
            "views.publish": self.views_publish,
            "users.lookupByEmail": self.users_lookup_by_email,
            "users.info": self.users_info,
            "usergroups.list": self.usergroups_list,
        }

    def answer(self, method: str, args: dict) -> dict:
        """Slack's JSON body for a method; unknown methods simply succeed."""
        handler = self.handlers.get(method)
        try:
            extra = handler(args) if handler else {}
        except SlackError as exc:
            return {"ok": False, "error": exc.error}
        return {"ok": True, **extra}

    # -- id and timestamp generation -------------------------------------

    def new_id(self, prefix: str) -> str:
        return f"{prefix}FAKE{next(self._ids):06d}"

    def new_ts(self) -> str:
        micros = next(self._ts) * _TS_STEP_MICROS
        return f"{_FIRST_TS_SECONDS + micros // 1_000_000}.{micros % 1_000_000:06d}"

    # -- registries ------------------------------------------------------

    def add_user(self, email: str, user_id: str, name: str | None, real_name: str | None, flags: dict) -> dict:
        name = name or email.split("@", 1)[0]
        real_name = real_name or name
        user = {
            "id": user_id,
            "team_id": self.identity.team_id,
            "name": name,
            "real_name": real_name,
            "is_admin": False,
            "is_app_user": False,
            **flags,
            "profile": {"email": email, "real_name": real_name, "display_name": name},
        }
        self.users_by_email[email.lower()] = user
        return user

    def add_usergroup(self, handle: str, users: list[str], name: str, usergroup_id: str) -> dict:
        group = {
            "id": usergroup_id,
            "team_id": self.identity.team_id,
            "is_usergroup": True,
            "name": name,
            "handle": handle,
            "description": "",
            "date_delete": 0,
            "users": users,
            "user_count": len(users),
        }
        self.usergroups.append(group)
        return group

    def user_by_id(self, user_id: str) -> dict:
        for user in self.users_by_email.values():
            if user["id"] == user_id:
                return user
        raise SlackError("user_not_found")

    # -- conversations helpers -------------------------------------------

    def channel(self, channel_id: str) -> dict:
        """A channel record; channels the test never created are assumed to exist."""
        if channel_id not in self.channels:
            self._store_channel(channel_id, channel_id.lower(), is_private=False, creator=None)
        return self.channels[channel_id]

    def _store_channel(self, channel_id: str, name: str, is_private: bool, creator: str | None) -> dict:
        self.channels[channel_id] = {
            "id": channel_id,
            "name": name,
            "name_normalized": name,
            "is_channel": True,
            "is_private": is_private,
            "is_archived": False,
            "created": int(time.time()),
            "creator": creator,
        }
        self.members[channel_id] = {creator} if creator else set()
        return self.channels[channel_id]

    def channel_view(self, channel_id: str) -> dict:
        record = self.channel(channel_id)
        return _public({**record, "is_member": self.identity.bot_user_id in self.members[channel_id]})

    def open_conversation(self, users: list[str]) -> tuple[str, bool]:
        """Slack gives each user set one stable DM ("D...") or group DM ("G..."); returns (id, existed)."""
        key = ",".join(sorted(users))
        existed = key in self.conversations_by_users
        if not existed:
            self.conversations_by_users[key] = self.new_id("D" if len(users) == 1 else "G")
        return self.conversations_by_users[key], existed

    def resolve_post_target(self, channel: str) -> str:
        """Posting to a user id ("U..."/"W...") lands in the bot's DM with that user."""
        if channel[:1] in ("U", "W"):
            return self.open_conversation([channel])[0]
        return channel

    def find_message(self, channel: str, ts: str) -> dict:
        for message in self.messages.get(channel, []):
            if message["ts"] == ts:
                return message
        raise SlackError("message_not_found")

    # -- auth / chat -----------------------------------------------------

    def auth_test(self, args: dict) -> dict:
        ident = self.identity
        return {
            "url": f"https://{ident.team_domain}.slack.com/",
            "team": ident.team_name,
            "user": ident.bot_name,
            "team_id": ident.team_id,
            "user_id": ident.bot_user_id,
            "bot_id": ident.bot_id,
            "is_enterprise_install": False,
        }

    def chat_post_message(self, args: dict) -> dict:
        channel = self.resolve_post_target(str(_require(args, "channel", "channel_not_found")))
        _require_content(args)
        message = {
            "type": "message",
            "user": self.identity.bot_user_id,
            "bot_id": self.identity.bot_id,
            "team": self.identity.team_id,
            "ts": self.new_ts(),
            "text": args.get("text", ""),
            "blocks": args.get("blocks") or [],
            "attachments": args.get("attachments"),
            "metadata": args.get("metadata"),
            "thread_ts": args.get("thread_ts"),
        }
        self.messages.setdefault(channel, []).append(message)
        return {"channel": channel, "ts": message["ts"], "message": _public(message)}

    def chat_update(self, args: dict) -> dict:
        channel = str(_require(args, "channel", "channel_not_found"))
        message = self.find_message(channel, str(_require(args, "ts", "message_not_found")))
        _require_content(args)
        for key in ("text", "blocks", "attachments", "metadata"):
            if key in args:
                message[key] = args[key]
        message["edited"] = {"user": self.identity.bot_user_id, "ts": self.new_ts()}
        return {"channel": channel, "ts": message["ts"], "text": message["text"], "message": _public(message)}

    def chat_post_ephemeral(self, args: dict) -> dict:
        _require(args, "channel", "channel_not_found")
        _require(args, "user", "user_not_in_channel")
        _require_content(args)
        return {"message_ts": self.new_ts()}

    def chat_get_permalink(self, args: dict) -> dict:
        channel = str(_require(args, "channel", "channel_not_found"))
        ts = self.find_message(channel, str(_require(args, "message_ts", "message_not_found")))["ts"]
        base = f"https://{self.identity.team_domain}.slack.com/archives/{channel}"
        return {"channel": channel, "permalink": f"{base}/p{ts.replace('.', '')}"}

    # -- conversations ---------------------------------------------------

    def conversations_create(self, args: dict) -> dict:
        name = str(args.get("name") or "")
        _check_channel_name(name)
        if any(record["name"] == name for record in self.channels.values()):
            raise SlackError("name_taken")
        channel_id = self.new_id("C")
        self._store_channel(channel_id, name, _truthy(args.get("is_private")), self.identity.bot_user_id)
        return {"channel": self.channel_view(channel_id)}

    def conversations_invite(self, args: dict) -> dict:
        channel_id = str(_require(args, "channel", "channel_not_found"))
        users = _id_list(_require(args, "users", "no_user"))
        if self.identity.bot_user_id in users:
            raise SlackError("cant_invite_self")
        self.channel(channel_id)
        members = self.members[channel_id]
        if set(users) <= members:
            raise SlackError("already_in_channel")
        members.update(users)
        return {"channel": self.channel_view(channel_id)}

    def conversations_join(self, args: dict) -> dict:
        channel_id = str(_require(args, "channel", "channel_not_found"))
        self.channel(channel_id)
        already = self.identity.bot_user_id in self.members[channel_id]
        self.members[channel_id].add(self.identity.bot_user_id)
        extra = {"warning": "already_in_channel"} if already else {}
        return {"channel": self.channel_view(channel_id), **extra}

    def conversations_open(self, args: dict) -> dict:
        if args.get("channel"):
            return {"no_op": True, "already_open": True, "channel": {"id": args["channel"]}}
        users = _id_list(_require(args, "users", "users_list_not_supplied"))
        channel_id, existed = self.open_conversation(users)
        extra = {"no_op": True, "already_open": True} if existed else {}
        return {"channel": {"id": channel_id}, **extra}

    def pins_add(self, args: dict) -> dict:
        channel = str(_require(args, "channel", "channel_not_found"))
        ts = self.find_message(channel, str(_require(args, "timestamp", "no_item_specified")))["ts"]
        pinned = self.pins.setdefault(channel, [])
        if ts in pinned:
            raise SlackError("already_pinned")
        pinned.append(ts)
        return {}

    # -- views -----------------------------------------------------------

    def views_open(self, args: dict) -> dict:
        _require(args, "trigger_id")
        return {"view": self._store_view(self.new_id("V"), _view_arg(args))}

    def views_update(self, args: dict) -> dict:
        current = self._find_view(args)
        if args.get("hash") and args["hash"] != current["hash"]:
            raise SlackError("hash_conflict")
        return {"view": self._store_view(current["id"], _view_arg(args))}

    def views_publish(self, args: dict) -> dict:
        user_id = str(_require(args, "user_id", "user_not_found"))
        if user_id not in self.home_views:  # each user's Home tab keeps one view id
            self.home_views[user_id] = self.new_id("V")
        view_id = self.home_views[user_id]
        return {"view": self._store_view(view_id, _view_arg(args))}

    def _find_view(self, args: dict) -> dict:
        """views.update addresses a view by ``view_id`` or by the caller's ``external_id``."""
        if args.get("view_id") in self.views:
            return self.views[args["view_id"]]
        external_id = args.get("external_id")
        for view in self.views.values():
            if external_id and view["external_id"] == external_id:
                return view
        raise SlackError("not_found")

    def _store_view(self, view_id: str, view: dict) -> dict:
        ident = self.identity
        self.views[view_id] = {
            "type": "modal",
            "blocks": [],
            "private_metadata": "",
            "callback_id": "",
            "external_id": "",
            **view,
            "id": view_id,
            "team_id": ident.team_id,
            "state": {"values": {}},
            "hash": f"{int(time.time())}.{next(self._ids):08d}",
            "root_view_id": view_id,
            "app_id": ident.api_app_id,
            "bot_id": ident.bot_id,
        }
        return copy.deepcopy(self.views[view_id])

    # -- users -----------------------------------------------------------

    def users_lookup_by_email(self, args: dict) -> dict:
        email = str(_require(args, "email", "users_not_found")).lower()
        if email not in self.users_by_email:
            raise SlackError("users_not_found")
        return {"user": copy.deepcopy(self.users_by_email[email])}

    def users_info(self, args: dict) -> dict:
        return {"user": copy.deepcopy(self.user_by_id(str(_require(args, "user", "user_not_found"))))}

    def usergroups_list(self, args: dict) -> dict:
        include_users = _truthy(args.get("include_users"))
        groups = [{**group, "users": group["users"] if include_users else None} for group in self.usergroups]
        return {"usergroups": [_public(group) for group in groups]}


def _require_content(args: dict) -> None:
    if not any(args.get(key) for key in ("text", "blocks", "attachments")):
        raise SlackError("no_text")


def _check_channel_name(name: str) -> None:
    """Slack's channel-name rules, so slug bugs in the caller surface in tests."""
    if not name:
        raise SlackError("invalid_name_required")
    if len(name) > _CHANNEL_NAME_MAX:
        raise SlackError("invalid_name_maxlength")
    if not _CHANNEL_NAME.fullmatch(name):
        raise SlackError("invalid_name_specials")


def _view_arg(args: dict) -> dict:
    view = _require(args, "view")
    if not isinstance(view, dict):
        raise SlackError("invalid_arguments")
    return view


# --------------------------------------------------------------------------
# HTTP plumbing
# --------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], fake: FakeSlackAPI):
        self.fake = fake
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "FakeSlack/1.0"

    def do_POST(self) -> None:
        self._send(self._reply())

    do_GET = do_POST  # Slack accepts every Web API method over GET as well

    def _reply(self) -> Reply:
        url = urlsplit(self.path)
        if not url.path.startswith("/api/"):
            return Reply(404, b"Not Found", {"Content-Type": "text/plain"})
        try:
            args = parse_args(url.query, self._read_body(), self.headers.get("Content-Type", ""))
            headers = {key.lower(): value for key, value in self.headers.items()}
            return self.server.fake.respond(url.path.removeprefix("/api/"), args, headers)
        except SlackError as exc:
            return error_reply(exc.error)
        except Exception as exc:
            traceback.print_exc()
            return json_reply(
                {"ok": False, "error": "fake_internal_error", "detail": repr(exc)},
                status=500,
            )

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, reply: Reply) -> None:
        try:
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, e.g. its timeout fired during a delay fault

    def log_message(self, format: str, *args: object) -> None:
        if not self.server.fake.quiet:
            super().log_message(format, *args)


# --------------------------------------------------------------------------
# Public facade
# --------------------------------------------------------------------------


class FakeSlackAPI:
    """Slack Web API stand-in on 127.0.0.1, served from a daemon thread.

    All state is guarded by one lock because slack_sdk users (and the
    ThreadingHTTPServer) call in from many threads at once.
    """

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        identity: Identity = DEFAULT_IDENTITY,
        quiet: bool = True,
    ):
        self.token = token
        self.identity = identity
        self.quiet = quiet
        self._address = (host, port)
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._calls: list[Call] = []
        self._faults = _FaultPlan()
        self._workspace = _Workspace(identity)

    # -- lifecycle -------------------------------------------------------

    def start(self) -> Self:
        if self._server is not None:
            raise RuntimeError("FakeSlackAPI is already running")
        self._stopping.clear()
        self._server = _Server(self._address, self)
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-slack-api", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._stopping.set()  # wakes handlers sleeping in a delay fault
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
        self._server = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("FakeSlackAPI is not running")
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        """What to pass as ``WebClient(base_url=...)``."""
        return f"http://{self._address[0]}:{self.port}/api/"

    # -- observation -----------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        """A snapshot of every call received so far, in arrival order."""
        with self._lock:
            return list(self._calls)

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    @property
    def messages(self) -> dict[str, list[dict]]:
        """Snapshot of posted messages per channel id (DMs under their "D..." id)."""
        with self._lock:
            return copy.deepcopy(self._workspace.messages)

    @property
    def channels(self) -> dict[str, dict]:
        """Snapshot of known channels, each with its ``members`` list."""
        with self._lock:
            channels, members = self._workspace.channels, self._workspace.members
            return {cid: {**copy.deepcopy(record), "members": sorted(members[cid])} for cid, record in channels.items()}

    @property
    def pins(self) -> dict[str, list[str]]:
        with self._lock:
            return copy.deepcopy(self._workspace.pins)

    @property
    def views(self) -> dict[str, dict]:
        with self._lock:
            return copy.deepcopy(self._workspace.views)

    @property
    def users_by_email(self) -> dict[str, dict]:
        """The live user registry (lower-cased email -> Slack user object); prefer ``add_user``."""
        return self._workspace.users_by_email

    def reset(self) -> None:
        """Forget calls, workspace state (messages, channels, users...) and all faults."""
        with self._lock:
            self._calls.clear()
            self._faults = _FaultPlan()
            self._workspace = _Workspace(self.identity)

    # -- registries ------------------------------------------------------

    def add_user(
        self,
        email: str,
        user_id: str,
        *,
        name: str | None = None,
        real_name: str | None = None,
        is_bot: bool = False,
        deleted: bool = False,
        is_restricted: bool = False,
        is_ultra_restricted: bool = False,
    ) -> dict:
        """Register a user for ``users.lookupByEmail`` / ``users.info``; returns the Slack user object."""
        flags = {
            "is_bot": is_bot,
            "deleted": deleted,
            "is_restricted": is_restricted,
            "is_ultra_restricted": is_ultra_restricted,
        }
        with self._lock:
            return self._workspace.add_user(email, user_id, name, real_name, flags)

    def add_usergroup(
        self,
        handle: str,
        users: Iterable[str] = (),
        *,
        name: str | None = None,
        usergroup_id: str | None = None,
    ) -> dict:
        """Register a user group for ``usergroups.list``."""
        with self._lock:
            group_id = usergroup_id or self._workspace.new_id("S")
            return self._workspace.add_usergroup(handle, list(users), name or handle, group_id)

    # -- fault injection -------------------------------------------------

    def fail_next(self, method: str, error: str = "channel_not_found", times: int = 1, channel: str | None = None):
        """Answer the next ``times`` matching calls with ``{"ok": false, "error": error}`` (HTTP 200)."""
        self._script(method, Fault(FAULT_ERROR, error=error), times, channel)

    def rate_limit_next(self, method: str, retry_after: int = 1, times: int = 1, channel: str | None = None) -> None:
        """Answer with HTTP 429, a ``Retry-After`` header and ``error: ratelimited``."""
        self._script(method, Fault(FAULT_RATELIMITED, retry_after=retry_after), times, channel)

    def server_error_next(self, method: str, status: int = 500, times: int = 1, channel: str | None = None) -> None:
        """Answer with an HTML 5xx page, as Slack's edge does during incidents."""
        self._script(method, Fault(FAULT_SERVER_ERROR, status=status), times, channel)

    def delay_next(self, method: str, seconds: float, times: int = 1, channel: str | None = None) -> None:
        """Sleep, then answer normally, to provoke client-side timeouts.

        As with real Slack, the call still takes effect after the client gave
        up (a timed-out postMessage is posted), so retry duplicates show up.
        """
        self._script(method, Fault(FAULT_DELAY, seconds=seconds), times, channel)

    def set_fault_profile(
        self,
        rate_5xx: float = 0.0,
        rate_429: float = 0.0,
        rate_timeout: float = 0.0,
        *,
        retry_after_range: tuple[int, int] = (1, 5),
        timeout_seconds: float = 5.0,
        seed: int | None = None,
        methods: Iterable[str] | None = None,
    ) -> None:
        """Fault calls at random (seedable, for reproducible benchmarks); all rates 0 disables it."""
        if min(rate_5xx, rate_429, rate_timeout) < 0 or rate_5xx + rate_429 + rate_timeout > 1:
            raise ValueError("fault rates must be >= 0 and sum to at most 1")
        rates = (rate_5xx, rate_429, rate_timeout)
        rng = random.Random(seed)
        profile = _FaultProfile(*rates, retry_after_range, timeout_seconds, rng, _method_set(methods))
        with self._lock:
            self._faults.profile = profile if any(rates) else None

    def enforce_rate_limit(
        self,
        per_channel_per_second: float | None = 1.0,
        *,
        burst: float = 1,
        methods: Iterable[str] | None = None,
    ) -> None:
        """Answer 429 when one channel is called faster than allowed; None disables it.

        Applies to every call naming a ``channel`` unless ``methods`` narrows it;
        ``burst`` calls may arrive back to back before the per-second rate bites.
        """
        limiter = None
        if per_channel_per_second is not None:
            limiter = _ChannelRateLimiter(per_channel_per_second, max(1.0, burst), _method_set(methods))
        with self._lock:
            self._faults.limiter = limiter

    def clear_faults(self) -> None:
        with self._lock:
            self._faults = _FaultPlan()

    def _script(self, method: str, fault: Fault, times: int, channel: str | None) -> None:
        with self._lock:
            self._faults.script(method, fault, times, channel)

    # -- request handling ------------------------------------------------

    def respond(self, method: str, args: dict, headers: dict) -> Reply:
        """Answer one API call: record it, apply any fault, then authenticate and dispatch."""
        with self._lock:
            fault = self._faults.decide(method, _channel_of(args), time.monotonic())
            self._calls.append(Call(method, copy.deepcopy(args), headers, time.time(), fault and fault.kind))
            workspace = self._workspace  # a reset() during a delay must not receive this late call
        faulted = fault.reply() if fault else None
        if faulted is not None:
            return faulted
        if fault is not None:  # a delay: sleep outside the lock; stop() cuts it short
            self._stopping.wait(fault.seconds)
        with self._lock:
            if not self._authorized(headers, args):
                return error_reply("invalid_auth")
            return json_reply(workspace.answer(method, args))

    def _authorized(self, headers: dict, args: dict) -> bool:
        """slack_sdk sends ``Authorization: Bearer``; Slack also accepts a ``token`` argument."""
        scheme, _, credentials = headers.get("authorization", "").partition(" ")
        token = credentials if scheme == "Bearer" else args.get("token")
        return token == self.token


def main(argv: list[str] | None = None) -> None:
    """Serve until interrupted, so the portal can be run by hand against a fake Slack."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument("--quiet", action="store_true", help="do not log each request")
    options = parser.parse_args(argv)
    fake = FakeSlackAPI(options.token, host=options.host, port=options.port, quiet=options.quiet)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with fake:
        print(fake.base_url, flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
