from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlackInboundConfig(AppConfig):
    """A separate app so inbound state (event receipts) migrates independently of the outbox."""

    name = "integrations.slack.inbound"
    label = "slack_inbound"
    verbose_name = _("Slack requests")

    def ready(self):
        from erp.core.retention import register_retention

        from .retention import POLICIES as RETENTION

        register_retention(*RETENTION)
