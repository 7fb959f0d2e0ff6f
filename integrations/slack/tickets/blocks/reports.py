"""Ephemeral answers of the ticket command: help, details, lists, workload and reports.

Pure functions: the handlers pass in plain rows, and the figures tickets.reports computed
(permission-aware, in SQL). Channel-message pieces come from blocks.tickets (fields,
priority emoji, action ids) so a ticket looks the same wherever Slack shows it.
"""

from dataclasses import dataclass
from functools import cache
from urllib.parse import quote

from django.urls import reverse
from django.utils.translation import gettext as _

from erp.people.names import display_name
from integrations.slack.core.base_url import portal_base_url
from integrations.slack.core.blocks import (
    actions,
    button,
    context,
    divider,
    fields_section,
    header,
    link,
    link_button,
    safe_mrkdwn,
    section,
    shows,
)
from integrations.slack.core.privacy.classes import INTERNAL, PUBLIC
from integrations.slack.tickets.blocks.digest import satisfaction_label
from integrations.slack.tickets.blocks.message import (
    ASSIGN_ME,
    CHANGE_STATUS,
    CLOSE,
    COMMENT,
    ESCALATE,
    OPEN_IN_PORTAL,
    PRIORITY_EMOJI,
    resolution_section,
    ticket_fields,
)
from tickets.models import Ticket
from tickets.reports import TicketReport, Workload

LIST_LIMIT = 15
COMMENT_EXCERPT = 500
SLA_EMOJI = {"at_risk": "⚠️", "breached": "🚨", "paused": "⏸️", "met": "✅", "on_track": "🟢"}


def help_blocks(command: str, rows: list[tuple[str, str]]) -> tuple[str, list]:
    """``rows`` = [(usage, explanation)], usage without the command name."""
    lines = [f"`{safe_mrkdwn(command)} {safe_mrkdwn(usage)}` — {safe_mrkdwn(text)}" for usage, text in rows]
    title = _("Ticket commands")
    return title, [header(title), section("\n".join(lines)), context(_("Ticket ids look like INC-12, SR-3 or 42."))]


@cache
def _labels(field: str) -> dict:
    return dict(Ticket._meta.get_field(field).flatchoices)


def choice_label(ticket, field: str) -> str:
    """``ticket.get_<field>_display()``, without Django rebuilding the choices map per call
    (a list line shows two: a third of the line's cost). Lazy labels: the current language."""
    value = getattr(ticket, field)
    return str(_labels(field).get(value, value))


_PLACEHOLDER = "INC-0"  # a ticket number reverse() accepts, cut out again below


def detail_address() -> tuple[str, str]:
    """A ticket page's portal address around its number, for a caller linking many tickets:
    portal_base_url() (it may ask the cache) and reverse() once a list instead of once a line,
    which together were a tenth of a search answer's cost."""
    before, after = reverse("tickets:detail", kwargs={"ref": _PLACEHOLDER}).rsplit(_PLACEHOLDER, 1)
    return f"{portal_base_url()}{before}", after


def ticket_ref(ticket, address: tuple[str, str] | None = None) -> str:
    """The number, linked to the portal (``Ticket.get_absolute_url``)."""
    before, after = address or detail_address()
    return link(f"{before}{quote(ticket.number)}{after}", ticket.number)


def sla_label(ticket) -> str:
    if ticket.sla_state in ("none", ""):
        return ""
    return f"{SLA_EMOJI.get(ticket.sla_state, '')} {safe_mrkdwn(choice_label(ticket, 'sla_state'), 40)}".strip()


def ticket_line(ticket, *, show_assignee: bool = True, address: tuple[str, str] | None = None) -> str:
    """One mrkdwn line per ticket for lists: priority, number link, title, status, SLA, assignee."""
    ref = ticket_ref(ticket, address)
    parts = [
        f"{PRIORITY_EMOJI.get(ticket.priority, '')} {ref} {safe_mrkdwn(ticket.title, 120)}".strip(),
        safe_mrkdwn(choice_label(ticket, "status"), 40),
    ]
    sla = sla_label(ticket)
    if sla:
        parts.append(sla)
    if show_assignee:
        parts.append(safe_mrkdwn(display_name(ticket.assignee) or _("Unassigned"), 60))
    return " · ".join(parts)


def ticket_list_section(title: str, tickets: list, *, empty: str, more: bool = False, show_assignee=True) -> list:
    blocks = [section(f"*{safe_mrkdwn(title, 200)}*")]
    if not tickets:
        blocks.append(context(safe_mrkdwn(empty)))
        return blocks
    address = detail_address()
    blocks.append(section("\n".join(ticket_line(t, show_assignee=show_assignee, address=address) for t in tickets)))
    if more:
        blocks.append(
            context(_("Only the first %(count)d are shown; the portal has them all.") % {"count": len(tickets)})
        )
    return blocks


@dataclass(frozen=True)
class DetailButtons:
    """Which buttons the viewer may use (from tickets.selectors.allowed_actions)."""

    assign: bool = False
    change_status: bool = False
    comment: bool = False
    escalate: bool = False
    close: bool = False


def detail_actions(ticket, allowed: DetailButtons) -> dict:
    value = str(ticket.pk)
    elements = [link_button(_("Open in portal"), ticket.get_absolute_url(), action_id=OPEN_IN_PORTAL)]
    if allowed.assign:
        elements.append(button(_("Assign to me"), action_id=ASSIGN_ME, value=value, style="primary"))
    if allowed.change_status:
        elements.append(button(_("Change status"), action_id=CHANGE_STATUS, value=value))
    if allowed.comment:
        elements.append(button(_("Comment"), action_id=COMMENT, value=value))
    if allowed.escalate:
        elements.append(button(_("Escalate"), action_id=ESCALATE, value=value))
    if allowed.close:
        elements.append(button(_("Close"), action_id=CLOSE, value=value, style="danger"))
    return actions(*elements, block_id=f"ticket-detail:{ticket.pk}")


def ticket_detail(ticket, ctx, allowed: DetailButtons, comments: list) -> tuple[str, list]:
    """The ephemeral "ticket ID" answer: fields, latest comments, the buttons this viewer may use.

    ``comments`` are already filtered for the viewer (internal notes only for handlers).
    """
    title = f"{PRIORITY_EMOJI.get(ticket.priority, '')} {ticket.number} {ticket.title}".strip()
    blocks = [header(title)]
    if ticket.description:
        blocks.append(section(safe_mrkdwn(ticket.description, 1500)))
    blocks.append(ticket_fields(ticket, ctx))
    if ticket.resolution:
        blocks.append(resolution_section(ticket.resolution, 1000))
    if comments:
        blocks.append(divider())
        for comment in comments:
            author = display_name(comment.author) or "—"
            badge = "🔒 " if comment.internal else "💬 "
            blocks.append(section(f"{badge}*{safe_mrkdwn(author, 60)}*\n{safe_mrkdwn(comment.body, COMMENT_EXCERPT)}"))
    blocks.append(detail_actions(ticket, allowed))
    return title, blocks


def _count_lines(rows: list[tuple[str, int]]) -> str:
    return "\n".join(f"{safe_mrkdwn(label, 80)}: *{count}*" for label, count in rows) or "—"


def workload_blocks(load: Workload) -> tuple[str, list]:
    title = _("%(group)s: %(count)d open tickets") % {"group": load.group_name, "count": load.total}
    per_assignee = _("Per assignee")
    blocks = [
        header(title),
        fields_section(
            [
                (_("By status"), _count_lines(load.by_status)),
                (_("By priority"), _count_lines(load.by_priority)),
                (_("SLA breached"), f"🚨 *{load.breached}*"),
                (_("SLA at risk"), f"⚠️ *{load.at_risk}*"),
            ]
        ),
        section(f"*{per_assignee}*\n{_count_lines(load.by_assignee)}"),
    ]
    return title, blocks


@shows(
    kinds=("tickets.report",), counts=PUBLIC, numbers=PUBLIC, titles=INTERNAL, people=INTERNAL, requested_by=INTERNAL
)
def report_blocks(report: TicketReport, *, requested_by: str) -> tuple[str, list]:
    title = _("Ticket report · %(period)s") % {"period": report.period.label}
    blocks = [
        header(title),
        context(safe_mrkdwn(report.scope, 200)),
        fields_section(
            [
                (_("Opened"), f"*{report.created}*"),
                (_("Resolved"), f"*{report.resolved}*"),
                (_("Closed"), f"*{report.closed}*"),
                (_("Still open"), f"*{report.open_now}*"),
                (_("SLA breached (opened in period)"), f"🚨 *{report.breached}*"),
                (_("Satisfaction"), satisfaction_label(report.avg_satisfaction, report.ratings)),
            ]
        ),
        fields_section(
            [
                (_("Opened by priority"), _count_lines(report.by_priority)),
                (_("Opened by group"), _count_lines(report.by_group)),
            ]
        ),
        context(_("Requested by %(name)s") % {"name": safe_mrkdwn(requested_by, 100)}),
    ]
    text = _("%(title)s: %(created)d opened, %(resolved)d resolved, %(open)d still open") % {
        "title": title,
        "created": report.created,
        "resolved": report.resolved,
        "open": report.open_now,
    }
    return text, blocks
