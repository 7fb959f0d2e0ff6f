"""Block Kit for alert groups and releases: pure builders (objects in, dicts out, no queries).

One message per group, rendered again on every change: state, count, last seen and who did
what are always the current ones, so updating it in place never loses information. The thread
under it holds the log (fired again, acknowledged, snoozed, ticket, resolved).
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from erp.core.dates import moment_label, time_label
from integrations.slack.core.blocks import (
    actions,
    button,
    context,
    fields_section,
    header,
    link,
    link_button,
    safe_mrkdwn,
    section,
    shows,
    user_mention,
)
from integrations.slack.core.privacy.classes import INTERNAL, PUBLIC

ACK = "alerts.ack"
TICKET = "alerts.ticket"
SNOOZE = "alerts.snooze"
RESOLVE = "alerts.resolve"
PATCH_TICKET = "alerts.patch_ticket"
OPEN = "alerts.open"

SEVERITY_EMOJI = {"critical": "🔴", "error": "🟠", "warning": "🟡", "info": "🔵"}
RESOLVED_EMOJI = "✅"
SUMMARY_EXCERPT = 1200


@dataclass(frozen=True)
class GroupContext:
    """What the message needs beyond the group row, resolved by the caller."""

    source_name: str
    acknowledged_by: str = ""  # a mention or a name
    ticket_number: str = ""
    ticket_path: str = ""
    now: datetime | None = None


def when(moment: datetime | None) -> str:
    """``11월 20일 (금) 09:02:13``: alerts keep the seconds (storms are minutes long)."""
    return moment_label(moment, seconds=True)


def _state_line(group, ctx: GroupContext) -> str:
    if group.state == "resolved":
        return RESOLVED_EMOJI + " *" + _("Resolved") + "*"
    line = SEVERITY_EMOJI.get(group.severity, "🟡") + " *" + safe_mrkdwn(group.get_severity_display(), 40) + "*"
    if group.snoozed_until and ctx.now and group.snoozed_until > ctx.now:
        line += " · 🔕 " + _("snoozed until %(time)s") % {"time": time_label(group.snoozed_until)}
    return line


@shows(
    kinds=(
        "alerts.opened",
        "alerts.refired",
        "alerts.repeated",
        "alerts.resolved",
        "alerts.acknowledged",
        "alerts.snoozed",
        "alerts.ticket_linked",
        "alerts.changed",
    ),
    state=PUBLIC,
    severity=PUBLIC,
    count=PUBLIC,
    last_seen=PUBLIC,
    first_seen=PUBLIC,
    snoozed_until=PUBLIC,
    ticket=PUBLIC,
    title=INTERNAL,
    acknowledged_by=INTERNAL,
    summary=INTERNAL,
    url=INTERNAL,
)
def group_message(group, ctx: GroupContext) -> tuple[str, list]:
    """The group's channel message as of now."""
    title = group.title
    blocks = [header(("✅ " if group.state == "resolved" else "🚨 ") + title)]
    blocks.append(section(_state_line(group, ctx)))
    if group.summary and group.summary != title:
        blocks.append(section(safe_mrkdwn(group.summary, SUMMARY_EXCERPT)))
    pairs = [
        (_("Source"), safe_mrkdwn(ctx.source_name, 200)),
        (_("Count"), str(group.count)),
        (_("First seen"), when(group.first_seen)),
        (_("Last seen"), when(group.last_seen)),
    ]
    if ctx.acknowledged_by:
        pairs.append((_("Acknowledged by"), ctx.acknowledged_by))
    if ctx.ticket_number:
        pairs.append((_("Ticket"), safe_mrkdwn(ctx.ticket_number, 40)))
    blocks.append(fields_section(pairs))
    if group.url:
        blocks.append(context(link(group.url, _("Open at the sender"))))
    blocks.append(actions(*_buttons(group, ctx), block_id=f"alerts.group.{group.pk}"))
    text = _("%(state)s · %(title)s (count %(count)d)") % {
        "state": group.get_state_display(),
        "title": title,
        "count": group.count,
    }
    return text, blocks


def _buttons(group, ctx: GroupContext) -> list[dict]:
    value = str(group.pk)
    buttons = []
    if not group.acknowledged_at and group.state == "firing":
        buttons.append(button(_("Acknowledge"), action_id=ACK, value=value, style="primary"))
    if not ctx.ticket_number:
        buttons.append(button(_("Open a ticket"), action_id=TICKET, value=value))
    if group.state == "firing":
        buttons.append(button(_("Snooze for an hour"), action_id=SNOOZE, value=value))
        buttons.append(button(_("Resolve"), action_id=RESOLVE, value=value, style="danger"))
    buttons.append(link_button(_("Open in Haru"), f"/alerts/groups/{group.pk}/", action_id=OPEN))
    return buttons


@shows(
    kinds=(
        "alerts.opened",
        "alerts.refired",
        "alerts.repeated",
        "alerts.resolved",
        "alerts.acknowledged",
        "alerts.snoozed",
        "alerts.ticket_linked",
        "alerts.changed",
    ),
    note=INTERNAL,
)
def log_line(text: str) -> tuple[str, list]:
    """A thread reply of the group's log."""
    return text, [context(safe_mrkdwn(text, 2000))]


@shows(kinds=("alerts.page",), severity=PUBLIC, title=INTERNAL, source=INTERNAL, details=INTERNAL)
def page_dm(group, ctx: GroupContext) -> tuple[str, list]:
    """What the on-call person gets after hours: the same message, addressed to them."""
    text, blocks = group_message(group, ctx)
    lead = section("📟 " + _("You are on call: this alert arrived outside business hours."))
    return _("On call: %(text)s") % {"text": text}, [lead, *blocks]


def person_label(name: str, slack_user_id: str | None) -> str:
    return user_mention(slack_user_id, name)


@shows(kinds=("alerts.release",), version=PUBLIC, product=PUBLIC, notes=PUBLIC)
def release_message(item, *, portal_path: str) -> tuple[str, list]:
    """A release as it passed its subscription's filters, with a patch-ticket button when it is a security release."""
    facts = item.facts or {}
    badges = []
    if facts.get("security"):
        badges.append("🛡️ " + _("Security release"))
    if facts.get("lts"):
        badges.append("LTS")
    if facts.get("cves"):
        badges.append(", ".join(facts["cves"][:10]))
    title = link(item.url, item.title) if item.url else safe_mrkdwn(item.title, 500)
    blocks = [section("📦 *" + title + "*")]
    if badges:
        blocks.append(context(safe_mrkdwn(" · ".join(badges), 500)))
    elements = [link_button(_("Open in Haru"), portal_path, action_id=OPEN)]
    if facts.get("security") and not facts.get("patch_ticket"):
        elements.insert(0, button(_("Patch ticket"), action_id=PATCH_TICKET, value=str(item.pk), style="primary"))
    blocks.append(actions(*elements))
    return _("New release: %(title)s") % {"title": item.title}, blocks


@shows(kinds=("alerts.digest",), versions=PUBLIC, products=PUBLIC, source=INTERNAL)
def digest_message(source_name: str, items: list) -> tuple[str, list]:
    """One post a day per subscription: the day's releases that passed its filters."""
    lines = []
    for item in items[:40]:
        mark = "🛡️ " if (item.facts or {}).get("security") else "• "
        lines.append(mark + (link(item.url, item.title) if item.url else safe_mrkdwn(item.title, 300)))
    heading = _("Releases from %(source)s") % {"source": source_name}
    blocks = [header(heading), section("\n".join(lines))]
    if len(items) > 40:
        blocks.append(context(_("and %(count)d more in Haru") % {"count": len(items) - 40}))
    return heading, blocks
