"""What each Web API method demands of a request, checked before the workspace answers it.

Slack refuses a malformed request whatever the workspace holds: a missing required
argument (``invalid_arguments`` or the method's documented error, e.g. ``channel_not_found``),
a message without text (``no_text``) or with too much of it (``msg_too_long``), blocks or
views breaking Block Kit's rules (blockkit.py). Failures raise :class:`Rejected`, which the
server records so a test cannot pass while the product sends something Slack would refuse.
Required arguments follow Slack's method reference (docs.slack.dev/reference/methods).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .blockkit import message_problems, options_problems, view_problems
from .parsing import Rejected

MESSAGE_TEXT_MAX = 40_000
_CHANNEL_NAME = re.compile(r"[a-z0-9_\-]+")
_CHANNEL_NAME_MAX = 80
_TRIGGER_ID = re.compile(r"\d+\.\d+\.[0-9a-f]+")
_MODAL = ("modal",)


@dataclass(frozen=True)
class _Needs:
    """One required argument (or a choice of them) and Slack's error when it is missing."""

    names: tuple[str, ...]
    error: str = "invalid_arguments"


@dataclass(frozen=True)
class _Method:
    needs: tuple[_Needs, ...] = ()
    message: bool = False  # carries text/blocks: no_text, msg_too_long, invalid_blocks
    views: tuple[str, ...] = ()  # the view types its ``view`` may have
    channel_name: bool = False


def _needs(*names: str, error: str = "invalid_arguments") -> _Needs:
    return _Needs(names, error)


_CHANNEL = _needs("channel", error="channel_not_found")

METHODS: dict[str, _Method] = {
    "auth.test": _Method(),
    "chat.postMessage": _Method((_CHANNEL,), message=True),
    "chat.update": _Method((_CHANNEL, _needs("ts", error="message_not_found")), message=True),
    "chat.delete": _Method((_CHANNEL, _needs("ts", error="message_not_found"))),
    "chat.postEphemeral": _Method((_CHANNEL, _needs("user", error="user_not_in_channel")), message=True),
    "chat.getPermalink": _Method((_CHANNEL, _needs("message_ts", error="message_not_found"))),
    "conversations.create": _Method(channel_name=True),
    "conversations.invite": _Method((_CHANNEL, _needs("users", error="no_user"))),
    "conversations.info": _Method((_CHANNEL,)),
    "conversations.join": _Method((_CHANNEL,)),
    "conversations.members": _Method((_CHANNEL,)),
    "conversations.open": _Method((_needs("channel", "users", error="users_list_not_supplied"),)),
    "pins.add": _Method((_CHANNEL, _needs("timestamp", error="no_item_specified"))),
    "views.open": _Method((_needs("trigger_id", "interactivity_pointer"), _needs("view")), views=_MODAL),
    "views.push": _Method((_needs("trigger_id", "interactivity_pointer"), _needs("view")), views=_MODAL),
    "views.update": _Method((_needs("view_id", "external_id"), _needs("view")), views=("modal", "home")),
    "views.publish": _Method((_needs("user_id"), _needs("view")), views=("home",)),
    "files.info": _Method((_needs("file", error="file_not_found"),)),
    "users.lookupByEmail": _Method((_needs("email"),)),
    "users.info": _Method((_needs("user", error="user_not_found"),)),
    "usergroups.list": _Method(),
}


# Interaction response_urls are served by the stand-in under this pseudo-method (see
# FakeSlackAPI.new_response_url): they take a message body and no token.
RESPONSE_URL_PREFIX = "response/"


def _present(value: object) -> bool:
    return value not in (None, "", [], {})


def check_method(method: str) -> None:
    """Slack answers ``unknown_method`` to any method it does not have (here: does not model)."""
    if method not in METHODS:
        note = f"the Slack stand-in does not implement {method}: add it to tests/fakes/slack_api"
        raise Rejected("unknown_method", [note])


def check_arguments(method: str, args: dict) -> None:
    """Raise :class:`Rejected` as Slack would for a malformed call to a known method."""
    spec = METHODS[method]
    for needs in spec.needs:
        if not any(_present(args.get(name)) for name in needs.names):
            # The generic error says which field is missing; a specific one names it already.
            explained = [f"missing required field: {' or '.join(needs.names)}"]
            raise Rejected(needs.error, explained if needs.error == "invalid_arguments" else [])
    trigger_id = args.get("trigger_id")
    if trigger_id and not _TRIGGER_ID.fullmatch(str(trigger_id)):
        raise Rejected("invalid_trigger_id")
    if spec.message:
        _check_message(args)
    if spec.views:
        _check_view(args, spec.views)
    if spec.channel_name:
        _check_channel_name(str(args.get("name") or ""))


def ack_problems(body: object) -> list[str]:
    """Why Slack would refuse the HTTP answer to a command or interaction (empty: it would not).

    A modal answer (``response_action`` update/push) follows the view rules, an external
    select's options the option rules, a message (command reply) the message rules.
    """
    if not isinstance(body, dict):
        return []
    if "view" in body:
        return view_problems(body["view"], _MODAL)
    if "options" in body or "option_groups" in body:
        return options_problems(body)
    if "text" in body or "blocks" in body:
        try:
            _check_message(body)
        except Rejected as exc:
            return [exc.error, *exc.messages]
    return []


def check_response_message(args: dict) -> None:
    """A message posted to a response_url: the same rules as chat.postMessage's content."""
    if not _truthy(args.get("delete_original")):
        _check_message(args)


def _truthy(value: object) -> bool:
    return value is True or str(value).lower() in ("1", "true")


def _check_message(args: dict) -> None:
    text, blocks = args.get("text"), args.get("blocks")
    if not any(_present(args.get(key)) for key in ("text", "blocks", "attachments")):
        raise Rejected("no_text")
    if text is not None and not isinstance(text, str):
        raise Rejected("invalid_arguments", ["must provide a string [json-pointer:/text]"])
    if isinstance(text, str) and len(text) > MESSAGE_TEXT_MAX:
        raise Rejected("msg_too_long")
    if blocks is None:
        return
    if not isinstance(blocks, list) or not all(isinstance(block, dict) for block in blocks):
        raise Rejected("invalid_blocks_format")
    problems = message_problems(blocks)
    if problems:
        raise Rejected("invalid_blocks", problems)


def _check_view(args: dict, types: tuple[str, ...]) -> None:
    problems = view_problems(args.get("view"), types)
    if problems:
        raise Rejected("invalid_arguments", problems)


def _check_channel_name(name: str) -> None:
    """Slack's channel-name rules, so slug bugs in the caller surface in tests."""
    if not name:
        raise Rejected("invalid_name_required")
    if len(name) > _CHANNEL_NAME_MAX:
        raise Rejected("invalid_name_maxlength")
    if not _CHANNEL_NAME.fullmatch(name):
        raise Rejected("invalid_name_specials")
