from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "integrations.ops"
    label = "ops"
    verbose_name = _("Operations")

    def ready(self):
        from django.conf import settings

        from erp.portal.registry import HomePanel, register_home_panel
        from integrations.ops import heartbeats, home

        register_home_panel(HomePanel("ops/panel_home.html", home.home_panel_context, order=2))

        heartbeats.connect_celery_signals()
        if settings.SENTRY_DSN:
            from integrations.ops.sentry import init

            init(settings.SENTRY_DSN, environment=settings.SENTRY_ENVIRONMENT, release=settings.HARU_RELEASE)
