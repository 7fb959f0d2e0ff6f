"""The tickets section of everyone's App Home tab, and its "New ticket" button."""

from django.urls import reverse

from erp.people.roles import is_agent
from integrations.slack.inbound.modals import open_modal
from integrations.slack.tickets.blocks.home import tickets_home_section
from integrations.slack.tickets.handlers.common import first_lines
from integrations.slack.tickets.handlers.modals import create_modal_for
from tickets.models import ACTIVE_STATUSES
from tickets.selectors import my_open_assigned, my_requested


def tickets_section(who) -> list[dict]:
    assigned, assigned_more = first_lines(my_open_assigned(who.user))
    requested, requested_more = first_lines(my_requested(who.user).filter(status__in=ACTIVE_STATUSES))
    return tickets_home_section(
        assigned=assigned,
        assigned_more=assigned_more,
        requested=requested,
        requested_more=requested_more,
        is_agent=is_agent(who.user),
        portal_path=reverse("tickets:list"),
    )


def new_ticket(interaction, who) -> None:
    open_modal(interaction.trigger_id, create_modal_for(who, metadata={"from": "home"}))
