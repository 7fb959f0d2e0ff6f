from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = _("Integrations")

    def ready(self):
        from erp.portal.registry import NavItem, register_nav

        from .slack.receivers import connect_receivers
        from .slack.visibility import can_view_outbox

        register_nav(NavItem(_("Slack messages"), "integrations:slack-outbox", order=90, visible=can_view_outbox))
        connect_receivers()
