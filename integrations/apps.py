from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = _("Integrations")

    def ready(self):
        from erp.portal.registry import NavItem, register_nav
        from integrations.slack.core.modules import install
        from integrations.slack.core.visibility import can_view_outbox

        register_nav(NavItem(_("Slack messages"), "integrations:slack-outbox", order=90, visible=can_view_outbox))
        # Every domain's Slack package (integrations/slack/<label>/module.py) wires itself here.
        install()
