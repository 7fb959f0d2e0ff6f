"""Block Kit of inquiries: pure functions, objects in, dicts out (no queries, no API calls).

The sales card shows who asked (name, company), what (subject, first lines, category,
product) and where from (source); e-mail and phone only masked: the full values are in the
portal. The marketing summary carries no personal data at all.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from erp.core.dates import moment_label
from erp.core.pii import mask_pii
from inquiries.models import Status
from integrations.slack.core.blocks import (
    actions,
    button,
    context,
    fields_section,
    header,
    link_button,
    plain,
    private_metadata,
    safe_mrkdwn,
    section,
    shows,
    user_mention,
)
from integrations.slack.core.privacy.classes import INTERNAL, PERSONAL, PUBLIC
from tickets.models import Priority, TicketType

ASSIGN_ME = "inquiries.assign_me"
MARK_ANSWERED = "inquiries.mark_answered"
CONVERT = "inquiries.convert"
SHARE = "inquiries.share"
MARK_SPAM = "inquiries.mark_spam"
OPEN_IN_PORTAL = "inquiries.open"
# The "convert to ticket" modal: its callback and input blocks (block_id = action_id).
CONVERT_MODAL = "inquiries.convert_modal"
TICKET_TITLE, TICKET_TYPE, TICKET_PRIORITY = "ticket_title", "ticket_type", "ticket_priority"
MESSAGE_EXCERPT = 400
STATUS_EMOJI = {
    Status.NEW: "🆕",
    Status.IN_PROGRESS: "🔧",
    Status.ANSWERED: "✅",
    Status.CLOSED: "📁",
    Status.SPAM: "🚫",
    Status.DUPLICATE: "🔁",
}


@dataclass(frozen=True)
class CardContext:
    assignee_name: str = ""
    assignee_slack_id: str = ""
    tickets: list[str] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)


def _when(moment: datetime) -> str:
    return moment_label(moment)


def mask_email(email: str) -> str:
    """sky.kim@hanbit.example → s***@hanbit.example (the channel never shows the full address)."""
    if "@" not in (email or ""):
        return ""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"


def mask_phone(phone: str) -> str:
    """010-2345-6789 → 010-****-6789; any other number keeps only its last four digits."""
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    if len(digits) < 4:
        return ""
    return f"{digits[:3]}-****-{digits[-4:]}" if digits.startswith("01") else f"***-{digits[-4:]}"


def first_lines(message: str, limit: int = MESSAGE_EXCERPT) -> str:
    lines = [line for line in (message or "").splitlines() if line.strip()][:4]
    return "\n".join(lines)[:limit]


def _title(inquiry) -> str:
    company = f" · {inquiry.company}" if inquiry.company else ""
    return f"{STATUS_EMOJI.get(inquiry.status, '')} {inquiry.number} {inquiry.customer_name}{company}"


def _fields(inquiry, ctx: CardContext) -> list[tuple[str, str]]:
    contact = " · ".join(part for part in (mask_email(inquiry.email), mask_phone(inquiry.phone)) if part)
    assignee = user_mention(ctx.assignee_slack_id, ctx.assignee_name) if ctx.assignee_name else _("Nobody yet")
    pairs = [
        (_("Status"), safe_mrkdwn(inquiry.get_status_display(), 60)),
        (_("Assignee"), assignee),
        (_("Category"), safe_mrkdwn(inquiry.get_category_display(), 60)),
        (_("Source"), safe_mrkdwn(inquiry.get_source_display(), 60)),
    ]
    if inquiry.product:
        pairs.append((_("Product"), safe_mrkdwn(inquiry.product, 100)))
    if contact:
        pairs.append((_("Contact"), safe_mrkdwn(contact, 200)))
    if ctx.tickets:
        pairs.append((_("Tickets"), safe_mrkdwn(", ".join(ctx.tickets), 300)))
    if inquiry.shared_with_marketing:
        pairs.append((_("Marketing"), _("Shared")))
    return pairs


def card_actions(inquiry) -> dict:
    value = str(inquiry.pk)
    elements = []
    if inquiry.status != Status.SPAM:
        elements.append(button(pgettext("inquiry card", "Assign to me"), action_id=ASSIGN_ME, value=value))
        if inquiry.status not in (Status.ANSWERED, Status.CLOSED):
            elements.append(
                button(pgettext("inquiry card", "Answered"), action_id=MARK_ANSWERED, value=value, style="primary")
            )
        elements.append(
            {
                "type": "static_select",
                "action_id": CONVERT,
                "placeholder": plain(pgettext("inquiry card", "Convert to ticket"), 150),
                "options": [
                    {"text": plain(_("As an incident"), 75), "value": f"{value}:incident"},
                    {"text": plain(_("As a service request"), 75), "value": f"{value}:service_request"},
                ],
            }
        )
        if not inquiry.shared_with_marketing:
            elements.append(button(pgettext("inquiry card", "Share with marketing"), action_id=SHARE, value=value))
        elements.append(button(pgettext("inquiry card", "Spam"), action_id=MARK_SPAM, value=value, style="danger"))
    elements.append(link_button(_("Open in portal"), inquiry.get_absolute_url(), action_id=OPEN_IN_PORTAL))
    return actions(*elements)


# What the card shows: editing any of these fields refreshes every posted copy.
@shows(
    kinds=(
        "inquiries.received",
        "inquiries.assigned",
        "inquiries.status_changed",
        "inquiries.updated",
        "inquiries.shared",
        "inquiries.converted",
        "inquiries.answered",
    ),
    status=PUBLIC,
    category=PUBLIC,
    product=PUBLIC,
    subject=INTERNAL,
    company=INTERNAL,
    message=PERSONAL,
    customer_name=PERSONAL,
    email=PERSONAL,
    phone=PERSONAL,
)
def inquiry_card(inquiry, ctx: CardContext) -> tuple[str, list[dict]]:
    """The sales card of an inquiry; re-rendered for chat.update as it moves through the pipeline."""
    blocks = []
    if ctx.mentions:
        blocks.append(section(" ".join(ctx.mentions)))
    blocks.append(header(_title(inquiry)))
    blocks.append(section(f"*{safe_mrkdwn(inquiry.subject, 200)}*\n{safe_mrkdwn(first_lines(inquiry.message))}"))
    blocks.append(fields_section(_fields(inquiry, ctx)))
    if inquiry.duplicate_of_id:
        blocks.append(
            context(
                "🔁 " + _("The same customer asked before: %(number)s.") % {"number": f"INQ-{inquiry.duplicate_of_id}"}
            )
        )
    blocks.append(card_actions(inquiry))
    received = _("Received %(when)s") % {"when": _when(inquiry.received_at)}
    blocks.append(context(safe_mrkdwn(received, 100)))
    text = _("New inquiry %(number)s: %(subject)s") % {"number": inquiry.number, "subject": inquiry.subject}
    return mask_pii(text), blocks


def thread_note(text: str) -> tuple[str, list[dict]]:
    return text, [section(text)]


@shows(kinds=("inquiries.assigned",), assignee=INTERNAL, changed_by=INTERNAL)
def assignment_note(*, assignee_name: str, by_label: str) -> tuple[str, list[dict]]:
    if assignee_name:
        line = _("%(by)s assigned the inquiry to %(name)s.") % {
            "by": safe_mrkdwn(by_label, 100),
            "name": safe_mrkdwn(assignee_name, 100),
        }
    else:
        line = _("%(by)s removed the assignee.") % {"by": safe_mrkdwn(by_label, 100)}
    return thread_note(f"👤 {line}")


@shows(kinds=("inquiries.status_changed",), status=PUBLIC, changed_by=INTERNAL)
def status_note(*, old_label: str, new_label: str, by_label: str) -> tuple[str, list[dict]]:
    line = _("Status: %(old)s → %(new)s (%(by)s)") % {
        "old": safe_mrkdwn(old_label, 60),
        "new": f"*{safe_mrkdwn(new_label, 60)}*",
        "by": safe_mrkdwn(by_label, 100),
    }
    return thread_note(f"🔄 {line}")


@shows(kinds=("inquiries.converted",), ticket_number=PUBLIC, changed_by=INTERNAL)
def converted_note(*, ticket_number: str, by_label: str) -> tuple[str, list[dict]]:
    line = _("%(by)s opened ticket %(ticket)s from this inquiry.") % {
        "by": safe_mrkdwn(by_label, 100),
        "ticket": safe_mrkdwn(ticket_number, 40),
    }
    return thread_note(f"🎫 {line}")


@shows(kinds=("inquiries.shared",), changed_by=INTERNAL)
def shared_note(*, by_label: str) -> tuple[str, list[dict]]:
    return thread_note("📣 " + _("%(by)s shared the inquiry with marketing.") % {"by": safe_mrkdwn(by_label, 100)})


@shows(kinds=("inquiries.answered",), changed_by=INTERNAL)
def answered_note(*, by_label: str) -> tuple[str, list[dict]]:
    return thread_note("✉️ " + _("%(by)s answered the customer by e-mail.") % {"by": safe_mrkdwn(by_label, 100)})


@shows(kinds=("inquiries.marketing_summary",), category=PUBLIC, product=PUBLIC, subject=INTERNAL, company=INTERNAL)
def marketing_summary(inquiry) -> tuple[str, list[dict]]:
    """For the marketing channel: what was asked and where the visitor came from, no personal data."""
    campaign = " / ".join(part for part in (inquiry.utm_source, inquiry.utm_medium, inquiry.utm_campaign) if part)
    pairs = [
        (_("Category"), safe_mrkdwn(inquiry.get_category_display(), 60)),
        (_("Source"), safe_mrkdwn(inquiry.get_source_display(), 60)),
    ]
    if inquiry.product:
        pairs.append((_("Product"), safe_mrkdwn(inquiry.product, 100)))
    if campaign:
        pairs.append((_("Campaign"), safe_mrkdwn(campaign, 200)))
    title = _("Shared inquiry %(number)s") % {"number": inquiry.number}
    blocks = [
        header(f"📣 {title}"),
        section(f"*{safe_mrkdwn(mask_pii(inquiry.subject), 200)}*"),
        fields_section(pairs),
        actions(link_button(_("Open in portal"), inquiry.get_absolute_url(), action_id=OPEN_IN_PORTAL)),
    ]
    return title, blocks


@dataclass(frozen=True)
class WaitingInquiry:
    number: str
    subject: str
    received_at: datetime
    url: str
    assignee_name: str = ""


@shows(kinds=("inquiries.unanswered",), counts=PUBLIC, hours=PUBLIC, subjects=INTERNAL, companies=INTERNAL)
def unanswered_nudge(items: list[WaitingInquiry], *, hours: int, total: int) -> tuple[str, list[dict]]:
    """The daily nudge: open inquiries older than ``hours``, oldest first (at most 20 listed)."""
    title = _("%(count)d inquiries have waited more than %(hours)d hours") % {"count": total, "hours": hours}
    lines = []
    for item in items[:20]:
        who = safe_mrkdwn(item.assignee_name, 60) if item.assignee_name else _("Nobody yet")
        lines.append(
            f"• <{item.url}|{safe_mrkdwn(item.number, 20)}> {safe_mrkdwn(mask_pii(item.subject), 80)}"
            f" · {_when(item.received_at)} · {who}"
        )
    blocks = [header(f"⏰ {title}"), section("\n".join(lines) or "-")]
    if total > len(items[:20]):
        blocks.append(context(_("%(count)d more in the portal.") % {"count": total - len(items[:20])}))
    return title, blocks


def _option(value: str, label) -> dict:
    return {"text": plain(str(label), 75), "value": value}


def _input(block_id: str, label, element: dict) -> dict:
    return {
        "type": "input",
        "block_id": block_id,
        "label": plain(label, 2000),
        "element": {**element, "action_id": block_id},
    }


def convert_modal(inquiry, *, title: str, ticket_type: str, priority: str = Priority.P3) -> dict:
    """Ask before converting: the ticket's title (prefilled), its type and priority."""
    types = [_option(value, label) for value, label in TicketType.choices]
    priorities = [_option(value, label) for value, label in Priority.choices]
    chosen_type = next((o for o in types if o["value"] == ticket_type), types[0])
    chosen_priority = next((o for o in priorities if o["value"] == priority), priorities[2])
    return {
        "type": "modal",
        "callback_id": CONVERT_MODAL,
        "title": plain(pgettext("inquiry card", "Convert to ticket"), 24),
        "submit": plain(pgettext("convert modal", "Open ticket"), 24),
        "close": plain(pgettext("dismiss a modal", "Close"), 24),
        "private_metadata": private_metadata({"inquiry": inquiry.pk}),
        "blocks": [
            section(f"*{safe_mrkdwn(inquiry.number)}* {safe_mrkdwn(inquiry.subject, 200)}"),
            _input(
                TICKET_TITLE,
                _("Ticket title"),
                {"type": "plain_text_input", "initial_value": title[:200], "max_length": 200},
            ),
            _input(TICKET_TYPE, _("Type"), {"type": "static_select", "options": types, "initial_option": chosen_type}),
            _input(
                TICKET_PRIORITY,
                _("Priority"),
                {"type": "static_select", "options": priorities, "initial_option": chosen_priority},
            ),
        ],
    }


# A burst summary lists at most this many inquiries (the newest), in sections of SUMMARY_CHUNK
# lines so that each stays within Slack's 3,000 characters per section.
SUMMARY_LINES = 100
SUMMARY_CHUNK = 20


@dataclass(frozen=True)
class BurstLine:
    number: str
    subject: str
    url: str


@shows(kinds=("inquiries.burst_summary",), count=PUBLIC, number=PUBLIC, subject=INTERNAL)
def burst_summary(lines: list[BurstLine], *, total: int, list_url: str) -> tuple[str, list[dict]]:
    """One card for a burst of inquiries into one channel: numbers and subjects, newest last.

    Posted once and updated in place while the channel's per-inquiry cards wait for their
    paced slots, so every inquiry shows in the channel within a second or two of intake.
    """
    title = _("%(count)d new inquiries") % {"count": total}
    shown = lines[-SUMMARY_LINES:]
    rows = [
        f"• <{line.url}|{safe_mrkdwn(line.number, 20)}> {safe_mrkdwn(mask_pii(line.subject), 60)}" for line in shown
    ]
    blocks = [header(f"📥 {title}")]
    if total > len(shown):
        blocks.append(context(_("%(count)d earlier ones are in the portal.") % {"count": total - len(shown)}))
    for start in range(0, len(rows), SUMMARY_CHUNK):
        blocks.append(section("\n".join(rows[start : start + SUMMARY_CHUNK])))
    blocks.append(context(_("Each inquiry's own card follows as the channel allows.")))
    blocks.append(actions(button(_("Open the list in the portal"), action_id=OPEN_IN_PORTAL, url=list_url)))
    return title, blocks
