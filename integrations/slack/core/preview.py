"""Render stored Block Kit as readable HTML: what Slack would show, for the outbox preview.

Only the subset our messages use (header, section with fields and accessory, context,
actions, divider) is drawn; anything else is listed by type so nothing is silently hidden.
All text is HTML-escaped first, then the mrkdwn markers are turned into tags.
"""

import html
import re
from contextvars import ContextVar

from django.utils.safestring import SafeString, mark_safe

# Slack ids → names (@이름, #채널) for the messages being drawn; see render_blocks(names=…).
_names: ContextVar[dict | None] = ContextVar("slack_preview_names", default=None)
_EMOJI = re.compile(r":([a-z0-9_+-]+):")
# The shortcodes our messages use (and a few common ones); unknown codes stay as typed.
EMOJI = {
    "warning": "⚠️", "white_check_mark": "✅", "rotating_light": "🚨", "red_circle": "🔴",
    "large_orange_circle": "🟠", "large_green_circle": "🟢", "large_blue_circle": "🔵",
    "white_circle": "⚪", "alarm_clock": "⏰", "bell": "🔔", "wave": "👋", "star": "⭐",
    "bust_in_silhouette": "👤", "memo": "📝", "paperclip": "📎", "calendar": "📅",
    "house": "🏠", "office": "🏢", "tada": "🎉", "x": "❌", "heavy_check_mark": "✔️",
    "hourglass_flowing_sand": "⏳", "money_with_wings": "💸", "fire": "🔥", "eyes": "👀",
}  # fmt: skip

_LINK = re.compile(r"&lt;(https?://[^|&]+?|mailto:[^|&]+?)(?:\|(.+?))?&gt;")
_USER = re.compile(r"&lt;@([UW][A-Z0-9]+)(?:\|([^&]+))?&gt;")
_CHANNEL = re.compile(r"&lt;#([CG][A-Z0-9]+)(?:\|([^&]+))?&gt;")
_SUBTEAM = re.compile(r"&lt;!subteam\^([A-Z0-9]+)(?:\|([^&]+))?&gt;")
_SPECIAL = re.compile(r"&lt;!(here|channel|everyone)&gt;")
_BOLD = re.compile(r"(?<![\w*])\*(?!\s)([^*\n]+?)\*(?![\w*])")
_ITALIC = re.compile(r"(?<![\w_])_(?!\s)([^_\n]+?)_(?![\w_])")
_STRIKE = re.compile(r"(?<![\w~])~(?!\s)([^~\n]+?)~(?![\w~])")
_CODE = re.compile(r"`([^`\n]+)`")


def mrkdwn_to_html(text: str) -> str:
    """Slack mrkdwn (already &-escaped by us) to safe HTML."""
    # Real markup is stored as <…>, user text as &lt;…&gt; (escaped, shown literally by Slack):
    # escape for HTML once, so only real markup matches the patterns below (review L7) …
    out = html.escape(str(text or ""), quote=True)
    out = _LINK.sub(lambda m: f'<a href="{m.group(1)}" rel="noopener">{m.group(2) or m.group(1)}</a>', out)
    names = _names.get() or {}
    out = _USER.sub(
        lambda m: f'<span class="slack-mention">@{m.group(2) or html.escape(names.get(m.group(1), m.group(1)))}</span>',
        out,
    )
    out = _CHANNEL.sub(
        lambda m: f'<span class="slack-mention">#{m.group(2) or html.escape(names.get(m.group(1), m.group(1)))}</span>',
        out,
    )
    out = _SUBTEAM.sub(lambda m: f'<span class="slack-mention">@{m.group(2) or m.group(1)}</span>', out)
    out = _SPECIAL.sub(lambda m: f'<span class="slack-mention">@{m.group(1)}</span>', out)
    out = _EMOJI.sub(lambda m: EMOJI.get(m.group(1), m.group(0)), out)
    out = _CODE.sub(r"<code>\1</code>", out)
    out = _BOLD.sub(r"<strong>\1</strong>", out)
    out = _ITALIC.sub(r"<em>\1</em>", out)
    out = _STRIKE.sub(r"<del>\1</del>", out)
    # … then show Slack's own escapes as the characters Slack shows.
    out = out.replace("&amp;lt;", "&lt;").replace("&amp;gt;", "&gt;").replace("&amp;amp;", "&amp;")
    return out.replace("\n", "<br>")


def _text(obj) -> str:
    if not isinstance(obj, dict):
        return ""
    if obj.get("type") == "mrkdwn":
        return mrkdwn_to_html(obj.get("text", ""))
    return html.escape(str(obj.get("text", "")))


def _element(element: dict) -> str:
    if element.get("type") == "button":
        style = html.escape(element.get("style", ""))
        label = _text(element.get("text"))
        if element.get("url"):
            url = html.escape(element["url"])
            return f'<a class="slack-button {style}" href="{url}" rel="noopener">{label}</a>'
        action = html.escape(element.get("action_id", ""))
        return f'<span class="slack-button {style}" title="{action}">{label}</span>'
    if "text" in element:
        return f"<span>{_text(element)}</span>"
    if element.get("type") == "image":
        return f'<span class="slack-image">[{html.escape(element.get("alt_text", "image"))}]</span>'
    return f'<span class="slack-unknown">[{html.escape(str(element.get("type", "?")))}]</span>'


def _block(block: dict) -> str:
    kind = block.get("type")
    if kind == "header":
        return f'<div class="slack-header">{_text(block.get("text"))}</div>'
    if kind == "divider":
        return '<hr class="slack-divider">'
    if kind == "context":
        parts = " ".join(_element(e) for e in block.get("elements", []))
        return f'<div class="slack-context">{parts}</div>'
    if kind == "actions":
        parts = " ".join(_element(e) for e in block.get("elements", []))
        return f'<div class="slack-actions">{parts}</div>'
    if kind == "section":
        body = f'<div class="slack-text">{_text(block.get("text"))}</div>' if block.get("text") else ""
        if block.get("fields"):
            cells = "".join(f'<div class="slack-field">{_text(f)}</div>' for f in block["fields"])
            body += f'<div class="slack-fields">{cells}</div>'
        if block.get("accessory"):
            body += f'<div class="slack-accessory">{_element(block["accessory"])}</div>'
        return f'<div class="slack-section">{body}</div>'
    return f'<div class="slack-unknown">[{html.escape(str(kind))}]</div>'


def render_blocks(blocks: list, fallback_text: str = "", *, names: dict | None = None, bot: str = "") -> SafeString:
    """HTML for a message; the fallback text is shown when there are no blocks.

    ``names`` maps Slack user and channel ids to names, so mentions read "@이서연" and
    "#dev-team" as in Slack; ``bot`` is the app's name shown above the message."""
    token = _names.set(names or {})
    try:
        if blocks:
            inner = "".join(_block(block) for block in blocks if isinstance(block, dict))
        else:
            inner = f'<div class="slack-text">{mrkdwn_to_html(fallback_text)}</div>'
    finally:
        _names.reset(token)
    head = ""
    if bot:
        head = (
            '<div class="slack-bot"><span class="slack-avatar" aria-hidden="true">H</span> '
            f'<strong>{html.escape(bot)}</strong> <span class="slack-app">APP</span></div>'
        )
    # Safe: every piece of text was HTML-escaped above before tags were added.
    return mark_safe(f'<div class="slack-message">{head}{inner}</div>')


def slack_names(ids) -> dict:
    """{Slack id: name} for people (display name) and department channels (department name)."""
    from erp.people.models import Department, Employee

    ids = set(ids)
    names = dict(Employee.objects.filter(slack_user_id__in=ids).values_list("slack_user_id", "display_name"))
    names.update(Department.objects.filter(slack_channel_id__in=ids).values_list("slack_channel_id", "name"))
    return names


_ID = re.compile(r"\b([UWCG][A-Z0-9]{6,})\b")


def ids_in(*texts) -> set[str]:
    return {match for text in texts for match in _ID.findall(str(text))}


def notification_html(text: str) -> SafeString:
    """The stored notification text (Slack-escaped mrkdwn) as the phone would show it: the
    escapes are undone once and mentions drawn, so "<@U…>" never shows as "&lt;@U…&gt;"."""
    return mark_safe(mrkdwn_to_html(text))  # mrkdwn_to_html escapes all text for HTML first
