from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InquiriesConfig(AppConfig):
    name = "inquiries"
    verbose_name = _("Customer inquiries")

    def ready(self):
        from corsheaders.signals import check_request_enabled

        from erp.core.search import register_search_source

        from .cors import allow_site_origins
        from .selectors import INQUIRY_SOURCE

        register_search_source(INQUIRY_SOURCE)
        check_request_enabled.connect(allow_site_origins, dispatch_uid="inquiries.cors")
