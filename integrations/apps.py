from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = _("Integrations")

    def ready(self):
        from erp.core.retention import register_retention
        from integrations.slack.core.retention import policies as outbox_retention

        register_retention(*outbox_retention())
        from erp.portal.registry import NavItem, register_nav

        # The delivery task must be registered in every process that publishes it (web too):
        # outbox.publish sends it by name, and Celery only autodiscovers tasks in the worker.
        from integrations.slack.core import tasks  # noqa: F401
        from integrations.slack.core.modules import install
        from integrations.slack.core.visibility import can_view_outbox

        register_nav(NavItem(_("Slack messages"), "integrations:slack-outbox", order=90, visible=can_view_outbox))
        # Every domain's Slack package (integrations/slack/<label>/module.py) wires itself here.
        install()
        from integrations.calendar import tasks as calendar_tasks  # noqa: F401  (registers the beat task)
        from integrations.calendar import wiring as calendar_wiring

        calendar_wiring.install()
