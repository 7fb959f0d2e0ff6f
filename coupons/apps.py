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
