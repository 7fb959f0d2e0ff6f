"""Block Kit for the P1 incident workflow (status board, critical alert, summary). Pure."""

from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from erp.core.durations import minutes_label
from integrations.slack.core.blocks import (
    actions,
    context,
    fields_section,
    header,
    link_button,
    safe_mrkdwn,
    section,
    shows,
)
from integrations.slack.core.privacy.classes import INTERNAL, PUBLIC
from integrations.slack.tickets.blocks.message import (
    OPEN_IN_PORTAL,
    Person,
    TicketContext,
    _fallback,
    _sla_value,
    _when,
    resolution_section,
    ticket_actions,
)


def _duration(start: datetime, end: datetime) -> str:
    return minutes_label(int((end - start).total_seconds() // 60))


@shows(
    kinds=("tickets.incident",),
    number=PUBLIC,
    priority=PUBLIC,
    status=PUBLIC,
    title=INTERNAL,
    assignee=INTERNAL,
    on_call=INTERNAL,
)
def status_board(ticket, ctx: TicketContext, *, on_call: Person | None, updated_at: datetime) -> tuple[str, list[dict]]:
    """The pinned message of the incident channel, re-rendered on every ticket change."""
    blocks = [
        header(f"🚨 {ticket.number} {ticket.title}"),
        fields_section(
            [
                (_("Status"), f"*{safe_mrkdwn(ticket.get_status_display(), 60)}*"),
                (_("Priority"), safe_mrkdwn(ticket.get_priority_display(), 60)),
                (_("Assignee"), ctx.assignee.mention if ctx.assignee else _("Unassigned")),
                (_("On call"), on_call.mention if on_call else "—"),
                (_("Group"), safe_mrkdwn(ctx.group_name or "—", 100)),
                (pgettext("datetime label", "Opened at"), _when(ticket.created_at)),
                (_("SLA"), _sla_value(ticket)),
                (_("Escalation"), f"L{ticket.escalation_level}"),
            ]
        ),
    ]
    if ticket.resolution:
        blocks.append(resolution_section(ticket.resolution, 2000))
    blocks.append(ticket_actions(ticket))
    blocks.append(context(_("Status board · updated %(when)s") % {"when": _when(updated_at)}))
    return _fallback(ticket, _("Incident status")), blocks


@shows(
    kinds=("tickets.p1",),
    number=PUBLIC,
    priority=PUBLIC,
    title=INTERNAL,
    description=INTERNAL,
    assignee=INTERNAL,
    on_call=INTERNAL,
)
def critical_alert(ticket, ctx: TicketContext, *, on_call: Person | None) -> tuple[str, list[dict]]:
    """The critical-channel post: who is on call, in the first line, mentioned."""
    who = on_call.mention if on_call else _("nobody (no on-call roster for this group)")
    lead = "🚨 *" + _("P1 incident") + "* · " + _("on call: %(who)s") % {"who": who}
    blocks = [
        section(lead),
        header(f"{ticket.number} {ticket.title}"),
        section(safe_mrkdwn(ticket.description, 1000)) if ticket.description else None,
        fields_section(
            [
                (_("Group"), safe_mrkdwn(ctx.group_name or "—", 100)),
                (_("Assignee"), ctx.assignee.mention if ctx.assignee else _("Unassigned")),
                (_("Status"), safe_mrkdwn(ticket.get_status_display(), 60)),
                (_("Requester"), ctx.requester.mention),
            ]
        ),
        ticket_actions(ticket),
    ]
    return _fallback(ticket, "🚨 " + _("P1 incident")), [b for b in blocks if b]


@shows(kinds=("tickets.incident.summary",), number=PUBLIC, resolved_at=PUBLIC, title=INTERNAL, resolution=INTERNAL)
def resolution_summary(ticket, ctx: TicketContext, *, resolved_at: datetime) -> tuple[str, list[dict]]:
    took = _duration(ticket.created_at, resolved_at)
    lead = _("%(number)s resolved after %(took)s") % {"number": ticket.number, "took": took}
    blocks = [section(f"✅ *{safe_mrkdwn(lead, 200)}*")]
    if ticket.resolution:
        blocks.append(section(safe_mrkdwn(ticket.resolution, 2500)))
    blocks.append(
        context(
            _("Assignee: %(who)s · escalation L%(level)s")
            % {"who": ctx.assignee.mention if ctx.assignee else "—", "level": ticket.escalation_level}
        )
    )
    blocks.append(actions(link_button(_("Open in portal"), ticket.get_absolute_url(), action_id=OPEN_IN_PORTAL)))
    return lead, blocks
