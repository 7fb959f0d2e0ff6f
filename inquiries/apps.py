from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InquiriesConfig(AppConfig):
    name = "inquiries"
    verbose_name = _("Customer inquiries")

    def ready(self):
        from erp.core.search import register_search_source

        from .selectors import INQUIRY_SOURCE

        register_search_source(INQUIRY_SOURCE)
