from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkCalendarConfig(AppConfig):
    name = "erp.workcalendar"
    label = "workcalendar"
    verbose_name = _("Company calendar")

    def ready(self):
        from . import receivers  # noqa: F401
