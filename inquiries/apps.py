from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InquiriesConfig(AppConfig):
    name = "inquiries"
    verbose_name = _("Customer inquiries")

    def ready(self):
        from erp.core.retention import register_retention

        from .retention import POLICIES as RETENTION

        register_retention(*RETENTION)
        from corsheaders.signals import check_request_enabled

        from erp.core.search import register_search_source
        from erp.core.status import register_status_section
        from erp.portal.registry import HomePanel, NavItem, register_home_panel, register_nav

        from .cors import allow_site_origins
        from .selectors import INQUIRY_SOURCE, sees_inquiries
        from .status import SECTION as STATUS_SECTION
        from .views import home_panel_context

        register_nav(NavItem(_("Inquiries"), "inquiries:list", order=40, visible=sees_inquiries))
        register_home_panel(HomePanel("inquiries/panel_home.html", home_panel_context, order=40))
        register_search_source(INQUIRY_SOURCE)
        # System status page and /metrics (erp/core/status.py).
        register_status_section(STATUS_SECTION)
        check_request_enabled.connect(allow_site_origins, dispatch_uid="inquiries.cors")

        # History reports, dashboards and the morning brief (erp.history, docs/ARCHITECTURE.md).
        from erp.history.brief import register_brief_section
        from erp.history.reports import register_report
        from erp.history.rollups import register_rollup
        from erp.history.widgets import register_widget

        from .brief import BRIEF_SECTION
        from .dashboard import INQUIRY_REPORT, INQUIRY_WIDGET
        from .rollup import INQUIRY_ROLLUP

        register_rollup(INQUIRY_ROLLUP)
        register_report(INQUIRY_REPORT)
        register_widget(INQUIRY_WIDGET)
        register_brief_section(BRIEF_SECTION)
