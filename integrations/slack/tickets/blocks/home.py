"""The tickets section of the App Home tab (pure: objects in, blocks out)."""

from django.utils.translation import gettext as _

from integrations.slack.core.blocks import actions, button, link_button, section
from integrations.slack.tickets.blocks.reports import ticket_list_section

NEW_TICKET = "tickets.new"


def tickets_home_section(
    *, assigned: list, assigned_more: bool, requested: list, requested_more: bool, is_agent: bool, portal_path: str
) -> list[dict]:
    """Quick actions, my open tickets (with SLA state) and my requests."""
    heading = _("Tickets")
    blocks = [
        section(f"*{heading}*"),
        actions(
            button(_("New ticket"), action_id=NEW_TICKET, value="home", style="primary"),
            link_button(_("Open the portal"), portal_path),
            block_id="tickets.home.actions",
        ),
    ]
    if is_agent or assigned:
        blocks += ticket_list_section(
            _("Assigned to me (open)"),
            assigned,
            empty=_("Nothing assigned to you."),
            more=assigned_more,
            show_assignee=False,
        )
    blocks += ticket_list_section(
        _("Requested by me"), requested, empty=_("You have not requested anything yet."), more=requested_more
    )
    return blocks
