from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "erp.ops"
    label = "ops"
    verbose_name = _("Operations")

    def ready(self):
        from erp.ops import heartbeats

        heartbeats.connect_celery_signals()
