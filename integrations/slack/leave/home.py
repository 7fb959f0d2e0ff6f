"""Leave in the App Home tab: my balance and open requests, a button to request leave, and
for approvers the requests waiting for them with the DM's approve / reject buttons."""

from integrations.slack.leave import blocks
from integrations.slack.leave.command import my_leave


def leave_section(who) -> list[dict]:
    return blocks.home_section(*my_leave(who))
