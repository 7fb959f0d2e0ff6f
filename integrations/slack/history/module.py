"""How the history search and reports plug into Slack: the search command, the morning brief,
the weekly and monthly reports, and the admin's delivery widget on the portal home."""

from erp.history.widgets import register_widget
from integrations.slack.core.modules import Command, SlackModule
from integrations.slack.history import command
from integrations.slack.history.widgets import DELIVERY_WIDGET

register_widget(DELIVERY_WIDGET)

slack_module = SlackModule(
    label="history",
    commands=(
        Command(
            "SLACK_SEARCH_COMMAND",
            command.handle,
            description="Search tickets, attendance and people (검색)",
            usage_hint="words | help",
        ),
    ),
)
