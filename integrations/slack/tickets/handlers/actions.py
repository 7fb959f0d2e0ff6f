"""Buttons on ticket messages (channel posts, DMs and the ephemeral details).

Channel and DM messages update themselves: the service sends a domain signal and the
outbound receivers queue a chat.update of every copy. Ephemeral details have no ts that
chat.update could address, so they are replaced through the payload's response_url
(deferred until after commit, see inbound/deferred.py).
"""

from django.utils.translation import gettext as _

from integrations.slack.inbound.deferred import respond_later
from integrations.slack.inbound.modals import open_modal
from integrations.slack.inbound.replies import SlackUserError, replace_original
from integrations.slack.tickets.handlers.common import (
    find_ticket,
    interaction_metadata,
    refresh_detail_later,
    ticket_by_id_value,
)
from integrations.slack.tickets.handlers.modals import (
    close_modal_for,
    comment_modal_for,
    escalate_modal_for,
    status_modal_for,
)
from tickets.services import ticket_assign, ticket_change_status, ticket_rate


def _refresh_if_ephemeral(interaction, who, ticket) -> None:
    if interaction.is_ephemeral:
        refresh_detail_later(interaction.response_url, who, ticket)


def assign_me(interaction, who) -> None:
    """Assign the ticket to the person who clicked (idempotent: no event when already theirs)."""
    ticket = ticket_by_id_value(who, interaction.action_value)
    ticket = ticket_assign(ticket=ticket, assignee=who.user, by=who.actor())
    _refresh_if_ephemeral(interaction, who, ticket)


def change_status(interaction, who) -> None:
    """A button opens the status modal; a static_select ("<id>:<status>") changes it at once."""
    value = interaction.action_value
    ticket = ticket_by_id_value(who, value)
    if ":" in value:
        status = value.split(":", 1)[1]
        ticket = ticket_change_status(ticket=ticket, status=status, by=who.actor())
        _refresh_if_ephemeral(interaction, who, ticket)
        return
    open_modal(interaction.trigger_id, status_modal_for(ticket, interaction_metadata(interaction)))


def comment(interaction, who) -> None:
    ticket = ticket_by_id_value(who, interaction.action_value)
    open_modal(interaction.trigger_id, comment_modal_for(who, ticket, interaction_metadata(interaction)))


def escalate(interaction, who) -> None:
    ticket = ticket_by_id_value(who, interaction.action_value)
    open_modal(interaction.trigger_id, escalate_modal_for(ticket, interaction_metadata(interaction)))


def close(interaction, who) -> None:
    ticket = ticket_by_id_value(who, interaction.action_value)
    open_modal(interaction.trigger_id, close_modal_for(ticket, interaction_metadata(interaction)))


def rate(interaction, who) -> None:
    """Satisfaction buttons ("<ticket id>:<score>") in the requester's DM after resolution."""
    ticket_ref, _sep, score = interaction.action_value.partition(":")
    if not score.isdigit():
        raise SlackUserError(_("This rating button is broken; please rate in the portal."))
    ticket = find_ticket(who, ticket_ref)
    rating = ticket_rate(ticket=ticket, score=score, by=who.actor())
    text = _("Thank you! You rated %(number)s %(stars)s.") % {"number": ticket.number, "stars": "⭐" * rating.score}
    respond_later(interaction.response_url, replace_original(text))
