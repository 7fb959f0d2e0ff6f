"""The App Home tab: pure functions assembling sections into a "home" view."""

from django.utils.translation import gettext as _

from .common import actions, button, context, divider, header, link_button, safe_mrkdwn, section
from .ticket_reports import ticket_list_section

MAX_HOME_BLOCKS = 100
NEW_TICKET = "tickets.new"


def home_view(sections: list[list[dict]], *, greeting: str) -> dict:
    """Sections in order, separated by dividers, clipped to Slack's 100 blocks per view."""
    blocks = [header(greeting)]
    for blocks_of_section in sections:
        if not blocks_of_section:
            continue
        blocks.append(divider())
        blocks.extend(blocks_of_section)
    if len(blocks) > MAX_HOME_BLOCKS:
        blocks = blocks[: MAX_HOME_BLOCKS - 1] + [context("…")]
    return {"type": "home", "blocks": blocks}


def refusal_home(text: str) -> dict:
    """What an unknown user or a guest sees in the Home tab."""
    return {"type": "home", "blocks": [section(safe_mrkdwn(text))]}


def tickets_home_section(
    *, assigned: list, assigned_more: bool, requested: list, requested_more: bool, is_agent: bool, portal_path: str
) -> list[dict]:
    """Quick actions, my open tickets (with SLA state) and my requests."""
    blocks = [
        section(f"*{_('Tickets')}*"),
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
