"""Buttons on the inquiry card: 담당, 답변 완료, 티켓으로 전환, 마케팅 공유, 스팸.

Each calls the same service as the portal with ``by=who.actor()``; the card then updates
itself in place (the service's signal → receivers → chat.update + thread note). Refusals
(not in sales, a quarantined inquiry) come back as ephemeral replies through the inbound
view's error handling.
"""

from django.utils.translation import gettext as _

from inquiries.models import Inquiry, Status
from inquiries.selectors import inquiry_for
from inquiries.services import (
    inquiry_assign,
    inquiry_change_status,
    inquiry_convert_to_ticket,
    inquiry_mark_spam,
    inquiry_share,
)
from integrations.slack.inbound.replies import SlackUserError


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
    """The select's value is "<inquiry id>:<ticket type>"."""
    value = interaction.action_value
    inquiry = _inquiry(who, value)
    ticket_type = value.partition(":")[2]
    inquiry_convert_to_ticket(inquiry=inquiry, ticket_type=ticket_type, by=who.actor())


def share(interaction, who) -> None:
    inquiry_share(inquiry=_inquiry(who, interaction.action_value), by=who.actor())


def mark_spam(interaction, who) -> None:
    inquiry_mark_spam(inquiry=_inquiry(who, interaction.action_value), by=who.actor())
