"""How the history search and reports plug into Slack: the search command, the morning brief,
the weekly and monthly reports, and the admin's delivery widget on the portal home."""

from erp.history.widgets import register_widget
from integrations.slack.core.modules import Command, Job, SlackModule
from integrations.slack.history import command
from integrations.slack.history.jobs import (
    MONTHLY_REPORT,
    MORNING_BRIEF,
    WEEKLY_REPORT,
    history_monthly_report,
    history_morning_brief,
    history_weekly_report,
)
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
    jobs=(
        Job(history_morning_brief.name, schedule=MORNING_BRIEF.beat_schedule),
        Job(history_weekly_report.name, schedule=WEEKLY_REPORT.beat_schedule),
        Job(history_monthly_report.name, schedule=MONTHLY_REPORT.beat_schedule),
    ),
)
