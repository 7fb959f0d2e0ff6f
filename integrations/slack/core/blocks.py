"""Block Kit building blocks: pure functions, dicts out, Slack's limits respected.

Every piece of dynamic text goes through :func:`mrkdwn` / :func:`plain` which mask personal
data (erp.core.pii), escape ``& < >`` (mrkdwn only) and truncate to the element's limit, so
long Korean descriptions are clipped instead of being rejected as ``invalid_blocks``.
:func:`finalize_message` is applied once more by the outbox to whatever a caller built.
"""

import json
import re
from collections.abc import Callable

from erp.core.pii import mask_pii

# Slack's documented limits (see shared/SLACK.md).
MAX_BLOCKS = 50
SECTION_TEXT = 3000
FIELD_TEXT = 2000
MAX_FIELDS = 10
HEADER_TEXT = 150
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
ACTION_ELEMENTS = 25
CONTEXT_ELEMENTS = 10
ID_LENGTH = 255
PRIVATE_METADATA = 3000
# Top-level text is allowed to be much longer, but notifications show only the start.
FALLBACK_TEXT = 3000
ELLIPSIS = "…"


def escape(text: str) -> str:
    """Escape the three characters mrkdwn treats as control characters, and nothing else."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def truncate(text: str, limit: int) -> str:
    """Clip ``text`` to ``limit`` characters, marking the cut with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[: max(limit - len(ELLIPSIS), 0)].rstrip() + ELLIPSIS


def private_metadata(data: dict, *, droppable: tuple[str, ...] = ("response_url",)) -> str:
    """A modal's ``private_metadata``: compact JSON of ``data`` that always fits in 3000 chars.

    The JSON text is never sliced (that makes it unparseable and loses the ticket id):
    empty values are left out, then the ``droppable`` keys (a response_url only improves
    the reply), then the longest remaining string values are shortened. Numbers, such as
    a ticket id, are always kept. ValueError if non-string values alone are too long.
    """
    data = {key: value for key, value in data.items() if value not in (None, "")}
    text = _compact_json(data)
    for key in sorted((k for k in droppable if k in data), key=lambda k: -len(_compact_json(data[k]))):
        if len(text) <= PRIVATE_METADATA:
            return text
        del data[key]
        text = _compact_json(data)
    while len(text) > PRIVATE_METADATA:
        strings = [key for key, value in data.items() if isinstance(value, str)]
        if not strings:
            raise ValueError("private_metadata: the non-text values alone exceed Slack's 3000 characters")
        key = max(strings, key=lambda k: len(_compact_json(data[k])))
        excess = len(text) - PRIVATE_METADATA
        # JSON escapes make a character cost up to 6; the loop re-measures until it fits.
        keep = len(data[key]) - excess - len(ELLIPSIS)
        if keep <= 0:
            del data[key]
        else:
            data[key] = truncate(data[key], keep)
        text = _compact_json(data)
    return text


def _compact_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def safe_mrkdwn(text, limit: int = SECTION_TEXT) -> str:
    """Masked, escaped and clipped mrkdwn from untrusted text (the cut never splits an entity)."""
    raw = mask_pii(str(text or ""))
    escaped = escape(raw)
    if len(escaped) <= limit:
        return escaped
    # Clip character by character so an escape like "&amp;" is never cut in half.
    budget, size, pieces = limit - len(ELLIPSIS), 0, []
    for char in raw:
        piece = escape(char)
        if size + len(piece) > budget:
            break
        pieces.append(piece)
        size += len(piece)
    return "".join(pieces).rstrip() + ELLIPSIS


def safe_plain(text, limit: int) -> str:
    """Masked and clipped plain text; Slack needs at least one character."""
    return truncate(mask_pii(str(text or "")).strip(), limit) or "-"


def mrkdwn(text: str, limit: int = SECTION_TEXT) -> dict:
    """A mrkdwn text object; ``text`` must already be built from safe_mrkdwn pieces."""
    return {"type": "mrkdwn", "text": truncate(text, limit) or " "}


def plain(text, limit: int = SECTION_TEXT) -> dict:
    return {"type": "plain_text", "text": safe_plain(text, limit), "emoji": True}


def header(text) -> dict:
    return {"type": "header", "text": plain(text, HEADER_TEXT)}


def section(text: str, *, fields: list[dict] | None = None, accessory: dict | None = None, block_id: str = "") -> dict:
    block = {"type": "section", "text": mrkdwn(text, SECTION_TEXT)}
    if fields:
        block["fields"] = [mrkdwn(field["text"], FIELD_TEXT) for field in fields[:MAX_FIELDS]]
    if accessory:
        block["accessory"] = accessory
    if block_id:
        block["block_id"] = block_id[:ID_LENGTH]
    return block


def fields_section(pairs: list[tuple[str, str]]) -> dict:
    """A section made only of "*label*\\nvalue" fields (at most 10, each ≤ 2000 chars)."""
    fields = [mrkdwn(f"*{safe_mrkdwn(label, 200)}*\n{value}", FIELD_TEXT) for label, value in pairs[:MAX_FIELDS]]
    return {"type": "section", "fields": fields}


def context(*texts: str) -> dict:
    return {"type": "context", "elements": [mrkdwn(text, SECTION_TEXT) for text in texts[:CONTEXT_ELEMENTS] if text]}


def divider() -> dict:
    return {"type": "divider"}


def button(text, *, action_id: str, value: str = "", url: str = "", style: str = "") -> dict:
    element = {"type": "button", "text": plain(text, BUTTON_TEXT), "action_id": action_id[:ID_LENGTH]}
    if value:
        element["value"] = str(value)[:BUTTON_VALUE]
    if url:
        element["url"] = url
    if style in ("primary", "danger"):
        element["style"] = style
    return element


def portal_url(path: str) -> str:
    """Absolute portal link for a record's ``get_absolute_url()``."""
    from .base_url import portal_base_url

    return f"{portal_base_url()}{path}"


def link_button(text, path: str, *, action_id: str = "portal.open") -> dict:
    """A button that opens the record in the portal (Slack still sends a block_actions ping)."""
    return button(text, action_id=action_id, url=portal_url(path))


def link(url: str, label) -> str:
    """A mrkdwn link; the label is escaped and the pipe that would end it is removed."""
    return f"<{url}|{safe_mrkdwn(label, 200).replace('|', '¦')}>"


def actions(*elements: dict, block_id: str = "") -> dict:
    block = {"type": "actions", "elements": list(elements[:ACTION_ELEMENTS])}
    if block_id:
        block["block_id"] = block_id[:ID_LENGTH]
    return block


def user_mention(slack_user_id: str | None, fallback) -> str:
    """``<@U…>`` for a linked person, else their escaped name."""
    return f"<@{slack_user_id}>" if slack_user_id else safe_mrkdwn(fallback, 200)


# --- the last line of defence, applied by the outbox ------------------------------------

_TEXT_LIMITS = {"header": HEADER_TEXT, "section": SECTION_TEXT, "button": BUTTON_TEXT}


# Slack's broadcast commands, with or without a label (<!here|here>). Haru never broadcasts:
# whatever put one into a message (user text that escaped escaping, a template), it is shown
# as text and pings nobody (security review M3).
_BROADCAST = re.compile(r"<!(?:here|channel|everyone)(?:\|[^>]*)?>", re.IGNORECASE)
# In the notification text (``text``) no special command at all: user-group pings belong to
# the blocks, where only routing rules an admin wrote put them.
_SPECIAL_COMMAND = re.compile(r"<!(?:here|channel|everyone|subteam\^[^>]*)(?:\|[^>]*)?>", re.IGNORECASE)


def _defused(match: re.Match) -> str:
    return escape(match.group(0))


def without_broadcasts(text: str) -> str:
    return _BROADCAST.sub(_defused, text)


def fallback_text(text: str) -> str:
    """The top-level ``text`` (push notifications, screen readers): masked, no pings."""
    return _SPECIAL_COMMAND.sub(_defused, mask_pii(str(text or "")))


def _clip_text_object(obj: dict, limit: int) -> dict:
    text = without_broadcasts(mask_pii(str(obj.get("text") or "")))
    return {**obj, "text": truncate(text, limit) or "-"}


def _clip_block(block: dict) -> dict:
    block = dict(block)
    kind = block.get("type")
    if isinstance(block.get("text"), dict):
        block["text"] = _clip_text_object(block["text"], _TEXT_LIMITS.get(kind, SECTION_TEXT))
    if isinstance(block.get("fields"), list):
        block["fields"] = [_clip_text_object(f, FIELD_TEXT) for f in block["fields"][:MAX_FIELDS]]
    if kind == "context":
        block["elements"] = [
            _clip_text_object(e, SECTION_TEXT) if "text" in e else e for e in block.get("elements", [])
        ][:CONTEXT_ELEMENTS]
    if kind == "actions":
        block["elements"] = [
            {**e, "text": _clip_text_object(e["text"], BUTTON_TEXT)} if isinstance(e.get("text"), dict) else e
            for e in block.get("elements", [])
        ][:ACTION_ELEMENTS]
    if isinstance(block.get("accessory"), dict) and isinstance(block["accessory"].get("text"), dict):
        block["accessory"] = {**block["accessory"], "text": _clip_text_object(block["accessory"]["text"], BUTTON_TEXT)}
    return block


def finalize_message(text: str, blocks: list[dict]) -> tuple[str, list[dict]]:
    """Mask and clip a whole message: ≤ 50 blocks, every text within its limit, a text fallback."""
    blocks = [_clip_block(block) for block in blocks]
    if len(blocks) > MAX_BLOCKS:
        blocks = blocks[: MAX_BLOCKS - 1] + [context("…")]
    fallback = truncate(fallback_text(text).strip(), FALLBACK_TEXT)
    if not fallback:
        fallback = "Haru"
    return fallback, blocks


def shows(*fields: str, kinds: tuple[str, ...] = (), **classified: str) -> Callable:
    """Declare what a message builder shows; read back as ``builder.shown_fields``.

    ``@shows(kinds=("tickets.created", …), title=INTERNAL, description=INTERNAL, …)``: the
    message kinds the builder renders and each field it shows with its privacy class
    (integrations.slack.core.privacy.classes.PrivacyClass). The privacy policy withholds a
    message from targets that may not see its most private field, and receivers refresh a
    posted message when one of these fields changes (kit.changed_shown). Positional
    ``fields`` (shown, no class) are only for builders that render no message kind.
    """
    from integrations.slack.core.privacy.classes import PrivacyClass
    from integrations.slack.core.privacy.declarations import declare

    unknown = {name: value for name, value in classified.items() if value not in PrivacyClass.values}
    if unknown:
        raise ValueError(f"shows(): not a privacy class: {unknown}")
    if kinds and fields:
        raise ValueError("shows(): a builder of message kinds gives every field a privacy class")

    def decorate(builder: Callable) -> Callable:
        builder.shown_fields = frozenset(fields) | frozenset(classified)
        builder.field_privacy = dict(classified)
        builder.message_kinds = tuple(kinds)
        for kind in kinds:
            declare(kind, builder)
        return builder

    return decorate
