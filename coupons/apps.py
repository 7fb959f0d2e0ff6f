from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouponsConfig(AppConfig):
    name = "coupons"
    verbose_name = _("Coupon send logs")
    # Holders administer the coupon module besides the company admins (erp.people.roles).
    module_admin_permission = "coupons.manage_coupons"

    def ready(self):
        from erp.core.retention import register_retention

        from .retention import policies as retention_policies

        register_retention(*retention_policies())
        from erp.core.search import register_search_source
        from erp.core.status import register_status_section
        from erp.portal.registry import NavItem, register_nav

        from .search import CAMPAIGN_SOURCE, SEND_SOURCE
        from .selectors import can_view_coupons
        from .status import SECTION as STATUS_SECTION

        register_nav(NavItem(_("Coupons"), "coupons:sends", order=50, visible=can_view_coupons))
        register_search_source(SEND_SOURCE)
        register_search_source(CAMPAIGN_SOURCE)
        # System status page and /metrics (erp/core/status.py).
        register_status_section(STATUS_SECTION)

        # History reports, dashboards and the morning brief (erp.history, docs/ARCHITECTURE.md).
        from erp.history.brief import register_brief_section
        from erp.history.reports import register_report
        from erp.history.rollups import register_rollup
        from erp.history.widgets import register_widget

        from .brief import BRIEF_SECTION
        from .dashboard import COUPON_REPORT, COUPON_WIDGET
        from .rollup import SEND_ROLLUP

        register_rollup(SEND_ROLLUP)
        register_report(COUPON_REPORT)
        register_widget(COUPON_WIDGET)
        register_brief_section(BRIEF_SECTION)
