"""Buttons on the inquiry card: 담당, 답변 완료, 티켓으로 전환, 마케팅 공유, 스팸.

Each calls the same service as the portal with ``by=who.actor()``; the card then updates
itself in place (the service's signal → receivers → chat.update + thread note). Refusals
(not in sales, a quarantined inquiry) come back as ephemeral replies through the inbound
view's error handling.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from erp.core.errors import DomainError
from inquiries.models import Inquiry, Status
from inquiries.selectors import can_handle, inquiry_for
from inquiries.services import (
    default_ticket_title,
    inquiry_assign,
    inquiry_change_status,
    inquiry_convert_to_ticket,
    inquiry_mark_spam,
    inquiry_share,
)
from integrations.slack.inbound.modals import open_modal
from integrations.slack.inbound.replies import SlackUserError, explain, modal_errors, validation_messages

from . import blocks


def _inquiry(who, value: str) -> Inquiry:
    try:
        return inquiry_for(who.user, str(value or "").split(":", 1)[0])
    except Inquiry.DoesNotExist:
        raise SlackUserError(_("This inquiry was not found, or you cannot see it.")) from None


def assign_me(interaction, who) -> None:
    inquiry_assign(inquiry=_inquiry(who, interaction.action_value), assignee=who.user, by=who.actor())


def mark_answered(interaction, who) -> None:
    inquiry = _inquiry(who, interaction.action_value)
    inquiry_change_status(inquiry=inquiry, status=Status.ANSWERED, by=who.actor())


def convert(interaction, who) -> None:
    """The select's value is "<inquiry id>:<ticket type>": ask for the title and priority first
    (a modal prefilled with the subject and the chosen type); the submission converts."""
    value = interaction.action_value
    inquiry = _inquiry(who, value)
    if not can_handle(who.user):
        raise SlackUserError(_("Only the sales team can change inquiries."))
    if inquiry.status == Status.SPAM:
        raise SlackUserError(_("Release the inquiry from the quarantine first."))
    view = blocks.convert_modal(inquiry, title=default_ticket_title(inquiry), ticket_type=value.partition(":")[2])
    open_modal(interaction.trigger_id, view)


def _selected(values: dict, block: str) -> str:
    element = (values.get(block) or {}).get(block) or {}
    return (element.get("selected_option") or {}).get("value") or ""


# Where a refusal of the service shows in the modal (its field's block; else under the title).
_BLOCK_OF_FIELD = {"title": blocks.TICKET_TITLE, "ticket_type": blocks.TICKET_TYPE, "priority": blocks.TICKET_PRIORITY}


def convert_submitted(interaction, who) -> dict | None:
    """The modal's answer: open the ticket, or show what is wrong under its field (stays open)."""
    values = interaction.state_values
    title = ((values.get(blocks.TICKET_TITLE) or {}).get(blocks.TICKET_TITLE) or {}).get("value") or ""
    if not title.strip():
        return modal_errors({blocks.TICKET_TITLE: _("Enter a title.")})
    inquiry = _inquiry(who, str(interaction.private_metadata.get("inquiry") or ""))
    try:
        inquiry_convert_to_ticket(
            inquiry=inquiry,
            title=title,
            ticket_type=_selected(values, blocks.TICKET_TYPE),
            priority=_selected(values, blocks.TICKET_PRIORITY),
            by=who.actor(),
        )
    except ValidationError as exc:
        messages = validation_messages(exc)
        return modal_errors(
            {_BLOCK_OF_FIELD.get(field, blocks.TICKET_TITLE): message for field, message in messages.items()}
        )
    except (PermissionDenied, DomainError) as exc:
        return modal_errors({blocks.TICKET_TITLE: explain(exc)})
    return None


def share(interaction, who) -> None:
    inquiry_share(inquiry=_inquiry(who, interaction.action_value), by=who.actor())


def mark_spam(interaction, who) -> None:
    inquiry_mark_spam(inquiry=_inquiry(who, interaction.action_value), by=who.actor())
