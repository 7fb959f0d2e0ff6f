from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouponsConfig(AppConfig):
    name = "coupons"
    verbose_name = _("Coupon send logs")
    # Holders administer the coupon module besides the company admins (erp.people.roles).
    module_admin_permission = "coupons.manage_coupons"
