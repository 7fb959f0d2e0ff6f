"""Admin registrations live next to each channel's models."""

from integrations.calendar import admin as calendar_admin  # noqa: F401
from integrations.slack.core import admin as slack_admin  # noqa: F401
from integrations.slack.core import channel_rules_admin  # noqa: F401
from integrations.slack.core.privacy import admin as privacy_admin  # noqa: F401
