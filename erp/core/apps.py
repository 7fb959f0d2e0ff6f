from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "erp.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from .retention import register_retention
        from .webhooks.retention import POLICIES as WEBHOOK_RETENTION

        register_retention(*WEBHOOK_RETENTION)
        from . import checks  # noqa: F401  (registers the database checks)
        from .search import register_lookups

        register_lookups()
