"""Block Kit for ticket notifications: pure functions, ticket objects in, dicts out.

No queries: whatever needs the database (people's names and Slack ids, the group's name)
arrives pre-resolved in a :class:`TicketContext` built by the receivers. Interactive
elements carry the action ids the Slack inbound handlers route on ("tickets.<verb>").
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext as _

from erp.core.dates import moment_label
from integrations.slack.core.blocks import (
    actions,
    button,
    context,
    escape,
    fields_section,
    header,
    link,
    link_button,
    portal_url,
    safe_mrkdwn,
    section,
    shows,
    user_mention,
)
from integrations.slack.core.privacy.classes import INTERNAL, PUBLIC

# Action ids handled by the Slack inbound module.
ASSIGN_ME = "tickets.assign_me"
CHANGE_STATUS = "tickets.change_status"
COMMENT = "tickets.comment"
ESCALATE = "tickets.escalate"
CLOSE = "tickets.close"
RATE = "tickets.rate"
OPEN_IN_PORTAL = "tickets.open"

PRIORITY_EMOJI = {"P1": "🔴", "P2": "🟠", "P3": "🟡", "P4": "⚪"}
# How much of a description a channel message shows; the portal has the rest.
DESCRIPTION_EXCERPT = 1500
COMMENT_EXCERPT = 800
RATING_SCORES = (1, 2, 3, 4, 5)
_ACTIVE = ("open", "in_progress", "pending")


@dataclass(frozen=True)
class Person:
    name: str
    slack_user_id: str | None = None

    @property
    def mention(self) -> str:
        return user_mention(self.slack_user_id, self.name)


@dataclass(frozen=True)
class TicketContext:
    """What the blocks need beyond the ticket row itself, resolved by the caller."""

    requester: Person
    assignee: Person | None = None
    group_name: str = ""
    mentions: list[str] = field(default_factory=list)  # already in <@U…>/<!subteam^S…> form


def _when(moment: datetime | None) -> str:
    """``11월 20일 (금) 09:02`` in KST (erp.core.dates, every Slack message's style)."""
    return moment_label(moment)


def _title_line(ticket) -> str:
    return f"{PRIORITY_EMOJI.get(ticket.priority, '')} {ticket.number} {ticket.title}".strip()


def _fallback(ticket, lead: str) -> str:
    """The notification text: number and title, which the blocks show in full."""
    return f"{lead} [{ticket.priority}] {ticket.number} {escape(ticket.title)}".strip()


def _link(ticket) -> str:
    return link(portal_url(ticket.get_absolute_url()), ticket.number)


def resolution_section(resolution: str, limit: int) -> dict:
    """The bold "Resolution" paragraph of the rating DM, the status board and the detail."""
    label = _("Resolution")  # outside the f-string, or makemessages cannot see the msgid
    return section(f"*{label}*\n{safe_mrkdwn(resolution, limit)}")


def _sla_value(ticket) -> str:
    if ticket.resolution_breached or ticket.first_response_breached:
        return "🚨 " + _("Breached")
    due = ticket.first_response_due if ticket.first_responded_at is None else ticket.resolution_due
    if due is None:
        return _("No SLA")
    warning = "⚠️ " if (ticket.first_response_at_risk or ticket.resolution_at_risk) else ""
    return warning + _("due %(when)s") % {"when": _when(due)}


def ticket_fields(ticket, ctx: TicketContext) -> dict:
    assignee = ctx.assignee.mention if ctx.assignee else _("Unassigned")
    pairs = [
        (_("Priority"), safe_mrkdwn(ticket.get_priority_display(), 100)),
        (_("Status"), safe_mrkdwn(ticket.get_status_display(), 100)),
        (_("Type"), safe_mrkdwn(ticket.get_ticket_type_display(), 100)),
        (_("Group"), safe_mrkdwn(ctx.group_name or "—", 200)),
        (_("Requester"), ctx.requester.mention),
        (_("Assignee"), assignee),
        (_("SLA"), _sla_value(ticket)),
    ]
    if ticket.escalation_level:
        pairs.append((_("Escalation"), f"L{ticket.escalation_level}"))
    return fields_section(pairs)


def ticket_actions(ticket) -> dict:
    """Buttons for agents; a closed ticket only keeps the portal link."""
    value = str(ticket.pk)
    elements = [link_button(_("Open in portal"), ticket.get_absolute_url(), action_id=OPEN_IN_PORTAL)]
    if ticket.status in _ACTIVE:
        elements += [
            button(_("Assign to me"), action_id=ASSIGN_ME, value=value, style="primary"),
            button(_("Change status"), action_id=CHANGE_STATUS, value=value),
            button(_("Comment"), action_id=COMMENT, value=value),
            button(_("Escalate"), action_id=ESCALATE, value=value),
            button(_("Close"), action_id=CLOSE, value=value, style="danger"),
        ]
    return actions(*elements, block_id=f"ticket:{ticket.pk}")


# What the channel message shows: editing any of these fields refreshes every posted copy.
@shows(
    kinds=(
        "tickets.created",
        "tickets.assigned",
        "tickets.status_changed",
        "tickets.commented",
        "tickets.escalated",
        "tickets.updated",
    ),
    number=PUBLIC,
    priority=PUBLIC,
    ticket_type=PUBLIC,
    status=PUBLIC,
    sensitive=PUBLIC,
    impact=PUBLIC,
    urgency=PUBLIC,
    title=INTERNAL,
    description=INTERNAL,
    group=INTERNAL,
    category=INTERNAL,
    requester=INTERNAL,
    assignee=INTERNAL,
)
def ticket_message(ticket, ctx: TicketContext, *, lead: str = "") -> tuple[str, list[dict]]:
    """The ticket's main channel message; later re-rendered for chat.update as it changes.

    P1/P2 stand out: a siren line with the mentions above the header.
    """
    blocks = []
    urgent = ticket.priority in ("P1", "P2")
    banner = []
    if urgent:
        banner.append(
            ("🚨 *" + _("Critical incident") + "*") if ticket.priority == "P1" else ("⚠️ *" + _("High priority") + "*")
        )
    if ctx.mentions:
        banner.append(" ".join(ctx.mentions))
    if banner:
        blocks.append(section(" ".join(banner)))
    blocks.append(header(_title_line(ticket)))
    if ticket.description:
        blocks.append(section(safe_mrkdwn(ticket.description, DESCRIPTION_EXCERPT)))
    blocks.append(ticket_fields(ticket, ctx))
    blocks.append(ticket_actions(ticket))
    source = safe_mrkdwn(ticket.get_source_display(), 50)
    opened = _("opened %(when)s") % {"when": _when(ticket.created_at)}
    blocks.append(context(f"{_link(ticket)} · {opened} · {source}"))
    lead = lead or _("New ticket")
    return _fallback(ticket, lead), blocks


@shows(
    kinds=("tickets.redacted", "tickets.p1_private", "tickets.declassified", "tickets.sla_*", "tickets.incident"),
    number=PUBLIC,
)
def sensitive_notice(ticket, reason: str) -> tuple[str, list[dict]]:
    """For sensitive tickets: only the number and a link, never the title or description."""
    text = f"🔒 {ticket.number}: {reason}"
    blocks = [
        section(f"🔒 *{safe_mrkdwn(ticket.number, 40)}* · {safe_mrkdwn(reason, 500)}"),
        context(_("Sensitive ticket: details are only shown in the portal.")),
        actions(link_button(_("Open in portal"), ticket.get_absolute_url(), action_id=OPEN_IN_PORTAL)),
    ]
    return text, blocks


@shows(kinds=("tickets.assigned",), number=PUBLIC, title=INTERNAL, assigned_by=INTERNAL)
def assigned_dm(ticket, ctx: TicketContext, *, by_label: str | None) -> tuple[str, list[dict]]:
    """The assignee's DM. ``by_label`` None: round-robin picked them (nobody chose them)."""
    values = {"number": ticket.number, "title": ticket.title, "name": by_label}
    if by_label is None:
        lead = _("%(number)s was assigned to you automatically (round robin).") % values
        fallback = _("%(number)s was assigned to you automatically: %(title)s") % values
    else:
        lead = _("%(name)s assigned %(number)s to you.") % values
        fallback = _("%(name)s assigned %(number)s to you: %(title)s") % values
    _text, blocks = ticket_message(ticket, TicketContext(ctx.requester, ctx.assignee, ctx.group_name))
    return fallback, [section(f"👋 {safe_mrkdwn(lead, 300)}"), *blocks]


@shows(kinds=("tickets.source_linked",), number=PUBLIC, title=INTERNAL)
def source_link_note(ticket) -> tuple[str, list[dict]]:
    """The reply under a message a ticket was made from."""
    text = _("Opened as ticket %(number)s: %(title)s") % {"number": ticket.number, "title": ticket.title}
    line = _("Opened as ticket %(number)s: %(title)s") % {
        "number": _link(ticket),
        "title": safe_mrkdwn(ticket.title, 200),
    }
    note = _("Replies in this thread by the requester or an agent are added to the ticket.")
    return text, [section(f"🎫 {line}"), context(note)]


@shows(kinds=("tickets.created_for_you",), number=PUBLIC, title=INTERNAL)
def requester_created_dm(ticket) -> tuple[str, list[dict]]:
    """To the requester of a ticket opened for them (from Slack or by someone else)."""
    lead = _("%(number)s was opened for you: %(title)s") % {"number": ticket.number, "title": ticket.title}
    blocks = [
        section(f"📝 {safe_mrkdwn(lead, 500)}"),
        context(_("You will get a message here when someone replies or the ticket is resolved.")),
        actions(link_button(_("Open in portal"), ticket.get_absolute_url(), action_id=OPEN_IN_PORTAL)),
    ]
    return lead, blocks


@shows(kinds=("tickets.replied",), number=PUBLIC, title=INTERNAL, author=INTERNAL, comment=INTERNAL)
def requester_reply_dm(ticket, *, author: Person, body: str) -> tuple[str, list[dict]]:
    """To the requester when someone answers their ticket in public."""
    lead = _("%(name)s replied on %(number)s.") % {"name": author.name, "number": ticket.number}
    blocks = [
        section(f"💬 *{safe_mrkdwn(lead, 300)}*\n{_link(ticket)} {safe_mrkdwn(ticket.title, 200)}"),
        section(safe_mrkdwn(body, COMMENT_EXCERPT)),
        actions(link_button(_("Open in portal"), ticket.get_absolute_url(), action_id=OPEN_IN_PORTAL)),
    ]
    return lead, blocks


def thread_note(text: str) -> tuple[str, list[dict]]:
    """A short thread reply (status change, escalation, comment): plain mrkdwn, no buttons."""
    return text, [section(text)]


@shows(kinds=("tickets.status_changed",), status=PUBLIC, changed_by=INTERNAL, reason=INTERNAL)
def status_note(ticket, *, old_label: str, new_label: str, by_label: str, reason: str = "") -> tuple[str, list[dict]]:
    line = _("Status: %(old)s → %(new)s by %(name)s") % {
        "old": safe_mrkdwn(old_label, 60),
        "new": f"*{safe_mrkdwn(new_label, 60)}*",
        "name": safe_mrkdwn(by_label, 100),
    }
    if reason:
        line += f"\n> {safe_mrkdwn(reason, 1000)}"
    return thread_note(f"🔄 {line}")


@shows(kinds=("tickets.escalated",), level=PUBLIC, group=INTERNAL, changed_by=INTERNAL, reason=INTERNAL)
def escalation_note(
    ticket, *, old_level, new_level, new_group: str, by_label: str, reason: str
) -> tuple[str, list[dict]]:
    line = _("Escalated L%(old)s → L%(new)s by %(name)s") % {
        "old": old_level,
        "new": new_level,
        "name": safe_mrkdwn(by_label, 100),
    }
    if new_group:
        line += " · " + _("now with %(group)s") % {"group": f"*{safe_mrkdwn(new_group, 100)}*"}
    if reason:
        line += f"\n> {safe_mrkdwn(reason, 1000)}"
    return thread_note(f"⏫ {line}")


@shows(kinds=("tickets.commented",), author=INTERNAL, comment=INTERNAL)
def comment_note(*, author: Person, body: str) -> tuple[str, list[dict]]:
    return thread_note(f"💬 {author.mention}: {safe_mrkdwn(body, COMMENT_EXCERPT)}")


@shows(kinds=("tickets.assigned",), assignee=INTERNAL, changed_by=INTERNAL)
def assignment_note(*, assignee: Person | None, by_label: str, auto: bool = False) -> tuple[str, list[dict]]:
    """Thread note of an (un)assignment; each case is one whole sentence for the translators."""
    name = safe_mrkdwn(by_label, 100)
    if assignee is None:
        line = _("%(name)s removed the assignee.") % {"name": name}
    elif auto:
        line = _("Assigned to %(who)s automatically (round robin).") % {"who": assignee.mention}
    else:
        line = _("Assigned to %(who)s by %(name)s") % {"who": assignee.mention, "name": name}
    return thread_note("👤 " + line)


@shows(kinds=("tickets.sla_*",), number=PUBLIC, due=PUBLIC, title=INTERNAL, assignee=INTERNAL)
def sla_alert(
    ticket, ctx: TicketContext, *, target_label: str, due: datetime, breached: bool
) -> tuple[str, list[dict]]:
    """SLA warning ("at risk") or alert ("breached") for a channel or the assignee."""
    if breached:
        lead = "🚨 " + _("SLA breached: %(target)s was due %(due)s") % {"target": target_label, "due": _when(due)}
    else:
        lead = "⏰ " + _("SLA at risk: %(target)s due %(due)s") % {"target": target_label, "due": _when(due)}
    mentions = " ".join(ctx.mentions)
    assignee = ctx.assignee.mention if ctx.assignee else _("Unassigned")
    blocks = [
        section(f"*{safe_mrkdwn(lead, 300)}* {mentions}".strip()),
        section(f"{_link(ticket)} {safe_mrkdwn(ticket.title, 200)}\n" + _("Assignee: %(name)s") % {"name": assignee}),
        ticket_actions(ticket),
    ]
    return f"{lead} · {ticket.number} {escape(ticket.title)}", blocks


@shows(kinds=("tickets.resolved", "tickets.closed"), number=PUBLIC, title=INTERNAL, resolution=INTERNAL)
def rating_request(ticket, ctx: TicketContext, *, closed: bool = False) -> tuple[str, list[dict]]:
    """DM to the requester after resolution (or a close without a resolve step): 1–5 buttons.

    Each button sits in its own actions block because Slack requires action ids to be unique
    within a block, and the inbound handler routes on the one id "tickets.rate".
    """
    if closed:
        lead = _("%(number)s was closed. How satisfied are you?") % {"number": ticket.number}
    else:
        lead = _("%(number)s was resolved. How satisfied are you?") % {"number": ticket.number}
    blocks = [section(f"✅ *{safe_mrkdwn(lead, 300)}*")]
    if not ticket.sensitive:
        blocks.append(section(f"{_link(ticket)} {safe_mrkdwn(ticket.title, 200)}"))
        if ticket.resolution:
            blocks.append(resolution_section(ticket.resolution, 1500))
    else:
        blocks.append(section(_link(ticket)))
    for score in RATING_SCORES:
        label = "⭐" * score
        blocks.append(
            actions(button(label, action_id=RATE, value=f"{ticket.pk}:{score}"), block_id=f"rate:{ticket.pk}:{score}")
        )
    blocks.append(context(_("1 = very unsatisfied, 5 = very satisfied")))
    return lead, blocks
