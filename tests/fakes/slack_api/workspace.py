"""The fake workspace's in-memory state and Slack's answer to each Web API method."""

from __future__ import annotations

import copy
import itertools
import time
import urllib.parse
from collections.abc import Callable

from .identity import Identity
from .parsing import SlackError, _id_list, _truthy

_FIRST_TS_SECONDS = 1_700_000_000
_TS_STEP_MICROS = 100


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
        # File id -> the file object files.info answers, and id -> its bytes (None: deleted).
        self.files: dict[str, dict] = {}
        self.file_contents: dict[str, bytes | None] = {}
        self._ids = itertools.count(1)
        self._ts = itertools.count(1)
        self.handlers: dict[str, Callable[[dict], dict]] = {
            "auth.test": self.auth_test,
            "chat.postMessage": self.chat_post_message,
            "chat.update": self.chat_update,
            "chat.delete": self.chat_delete,
            "chat.postEphemeral": self.chat_post_ephemeral,
            "chat.getPermalink": self.chat_get_permalink,
            "conversations.create": self.conversations_create,
            "conversations.invite": self.conversations_invite,
            "conversations.info": self.conversations_info,
            "conversations.join": self.conversations_join,
            "conversations.members": self.conversations_members,
            "conversations.open": self.conversations_open,
            "pins.add": self.pins_add,
            "views.open": self.views_open,
            "views.push": self.views_open,
            "views.update": self.views_update,
            "views.publish": self.views_publish,
            "files.info": self.files_info,
            "users.lookupByEmail": self.users_lookup_by_email,
            "users.info": self.users_info,
            "usergroups.list": self.usergroups_list,
        }

    def answer(self, method: str, args: dict) -> dict:
        """Slack's JSON body for a well-formed call (contract.py has checked the arguments).

        SlackError: the call is well formed but the workspace refuses it (no such message …).
        """
        return {"ok": True, **self.handlers[method](args)}

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
        channel = self.resolve_post_target(str(args["channel"]))
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
        channel = str(args["channel"])
        message = self.find_message(channel, str(args["ts"]))
        for key in ("text", "blocks", "attachments", "metadata"):
            if key in args:
                message[key] = args[key]
        message["edited"] = {"user": self.identity.bot_user_id, "ts": self.new_ts()}
        return {"channel": channel, "ts": message["ts"], "text": message["text"], "message": _public(message)}

    def chat_delete(self, args: dict) -> dict:
        """As a person (or another app) deleting the message in Slack: later updates of it fail."""
        channel = str(args["channel"])
        message = self.find_message(channel, str(args["ts"]))
        self.messages[channel].remove(message)
        return {"channel": channel, "ts": message["ts"]}

    def chat_post_ephemeral(self, args: dict) -> dict:
        return {"message_ts": self.new_ts()}

    def chat_get_permalink(self, args: dict) -> dict:
        channel = str(args["channel"])
        ts = self.find_message(channel, str(args["message_ts"]))["ts"]
        base = f"https://{self.identity.team_domain}.slack.com/archives/{channel}"
        return {"channel": channel, "permalink": f"{base}/p{ts.replace('.', '')}"}

    # -- conversations ---------------------------------------------------

    def conversations_create(self, args: dict) -> dict:
        name = str(args["name"])
        if any(record["name"] == name for record in self.channels.values()):
            raise SlackError("name_taken")
        channel_id = self.new_id("C")
        self._store_channel(channel_id, name, _truthy(args.get("is_private")), self.identity.bot_user_id)
        return {"channel": self.channel_view(channel_id)}

    def conversations_invite(self, args: dict) -> dict:
        channel_id = str(args["channel"])
        users = _id_list(args["users"])
        if self.identity.bot_user_id in users:
            raise SlackError("cant_invite_self")
        self.channel(channel_id)
        members = self.members[channel_id]
        if set(users) <= members:
            raise SlackError("already_in_channel")
        members.update(users)
        return {"channel": self.channel_view(channel_id)}

    def conversations_info(self, args: dict) -> dict:
        channel_id = str(args["channel"])
        if channel_id[:1] == "D":  # a DM the bot opened: Slack answers is_im and the partner
            for users, dm_id in self.conversations_by_users.items():
                if dm_id == channel_id:
                    return {"channel": {"id": channel_id, "is_im": True, "user": users.split(",")[0]}}
            raise SlackError("channel_not_found")
        if channel_id[:1] not in ("C", "G"):
            raise SlackError("channel_not_found")
        if channel_id not in self.channels:  # assumed to exist, as for posts; looking is not creating
            return {"channel": {"id": channel_id, "name": channel_id.lower(), "is_channel": True, "is_private": False}}
        return {"channel": self.channel_view(channel_id)}

    def conversations_members(self, args: dict) -> dict:
        """Members in pages of ``limit`` (default 100), with Slack's opaque cursor."""
        channel_id = str(args["channel"])
        if channel_id[:1] not in ("C", "G", "D"):
            raise SlackError("channel_not_found")
        members = sorted(self.members.get(channel_id, ()))
        limit = max(1, min(int(args.get("limit") or 100), 1000))
        start = int(args.get("cursor") or 0)
        page = members[start : start + limit]
        following = str(start + limit) if start + limit < len(members) else ""
        return {"members": page, "response_metadata": {"next_cursor": following}}

    def configure_channel(self, channel_id: str, flags: dict, members: list[str] | None) -> dict:
        record = self.channel(channel_id)
        record.update(flags)
        if members is not None:
            self.members[channel_id] = set(members)
        return record

    def conversations_join(self, args: dict) -> dict:
        channel_id = str(args["channel"])
        self.channel(channel_id)
        already = self.identity.bot_user_id in self.members[channel_id]
        self.members[channel_id].add(self.identity.bot_user_id)
        extra = {"warning": "already_in_channel"} if already else {}
        return {"channel": self.channel_view(channel_id), **extra}

    def conversations_open(self, args: dict) -> dict:
        if args.get("channel"):
            return {"no_op": True, "already_open": True, "channel": {"id": args["channel"]}}
        users = _id_list(args["users"])
        channel_id, existed = self.open_conversation(users)
        extra = {"no_op": True, "already_open": True} if existed else {}
        return {"channel": {"id": channel_id}, **extra}

    def pins_add(self, args: dict) -> dict:
        channel = str(args["channel"])
        ts = self.find_message(channel, str(args["timestamp"]))["ts"]
        pinned = self.pins.setdefault(channel, [])
        if ts in pinned:
            raise SlackError("already_pinned")
        pinned.append(ts)
        return {}

    # -- views -----------------------------------------------------------

    def views_open(self, args: dict) -> dict:
        return {"view": self._store_view(self.new_id("V"), args["view"])}

    def views_update(self, args: dict) -> dict:
        current = self._find_view(args)
        if args.get("hash") and args["hash"] != current["hash"]:
            raise SlackError("hash_conflict")
        return {"view": self._store_view(current["id"], args["view"])}

    def views_publish(self, args: dict) -> dict:
        user_id = str(args["user_id"])
        if user_id not in self.home_views:  # each user's Home tab keeps one view id
            self.home_views[user_id] = self.new_id("V")
        view_id = self.home_views[user_id]
        return {"view": self._store_view(view_id, args["view"])}

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

    def add_file(self, name: str, content: bytes, mimetype: str, download_root: str, *, size: int | None) -> dict:
        file_id = self.new_id("F")
        path = f"files-pri/{self.identity.team_id}-{file_id}"
        quoted = urllib.parse.quote(name)  # Slack percent-encodes the name in its URLs
        record = {
            "id": file_id,
            "created": _FIRST_TS_SECONDS,
            "name": name,
            "title": name,
            "mimetype": mimetype,
            "filetype": name.rsplit(".", 1)[-1].lower() if "." in name else "",
            "size": len(content) if size is None else size,
            "mode": "hosted",
            "is_external": False,
            "url_private": f"{download_root}{path}/{quoted}",
            "url_private_download": f"{download_root}{path}/download/{quoted}",
        }
        self.files[file_id] = record
        self.file_contents[file_id] = content
        return copy.deepcopy(record)

    def delete_file(self, file_id: str) -> None:
        self.file_contents[file_id] = None

    def files_info(self, args: dict) -> dict:
        file_id = str(args["file"])
        if file_id not in self.files:
            raise SlackError("file_not_found")
        if self.file_contents.get(file_id) is None:
            raise SlackError("file_deleted")
        return {"file": copy.deepcopy(self.files[file_id]), "comments": [], "response_metadata": {"next_cursor": ""}}

    def file_download(self, path: str) -> bytes | None:
        """The bytes behind a ``url_private(_download)`` path, None when there is no such file."""
        for file_id, record in self.files.items():
            if path in (record["url_private"].split("/", 3)[-1], record["url_private_download"].split("/", 3)[-1]):
                return self.file_contents.get(file_id)
        return None

    def users_lookup_by_email(self, args: dict) -> dict:
        email = str(args["email"]).lower()
        if email not in self.users_by_email:
            raise SlackError("users_not_found")
        return {"user": copy.deepcopy(self.users_by_email[email])}

    def users_info(self, args: dict) -> dict:
        return {"user": copy.deepcopy(self.user_by_id(str(args["user"])))}

    def usergroups_list(self, args: dict) -> dict:
        include_users = _truthy(args.get("include_users"))
        groups = [{**group, "users": group["users"] if include_users else None} for group in self.usergroups]
        return {"usergroups": [_public(group) for group in groups]}
