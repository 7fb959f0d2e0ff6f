"""How the history search plugs into Slack: the search command (the brief and reports join later)."""

from integrations.slack.core.modules import Command, SlackModule
from integrations.slack.history import command

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
