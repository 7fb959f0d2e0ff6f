from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlackSocketConfig(AppConfig):
    """Its own app so Socket Mode state (envelope receipts, connections) migrates on its own."""

    name = "integrations.slack.socket"
    label = "slack_socket"
    verbose_name = _("Slack Socket Mode")

    def ready(self):
        from erp.core.retention import register_retention

        from .retention import POLICIES as RETENTION

        register_retention(*RETENTION)
