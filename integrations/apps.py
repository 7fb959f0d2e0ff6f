from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _is_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_staff)


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = _("Integrations")

    def ready(self):
        from erp.portal.registry import NavItem, register_nav

        from .slack.receivers import connect_receivers

        register_nav(NavItem(_("Slack messages"), "integrations:slack-outbox", order=90, visible=_is_staff))
        connect_receivers()
