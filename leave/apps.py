from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeaveConfig(AppConfig):
    name = "leave"
    verbose_name = _("Leave")
    # HR staff may administer leave without being company admins (erp.people.roles.is_module_admin).
    module_admin_permission = "leave.manage_leave"

    def ready(self):
        from erp.audit.visibility import register_audit_scope
        from erp.core.search import register_search_source
        from erp.portal.registry import NavItem, register_nav
        from tickets.availability import register_availability_checker

        from .availability import away_now
        from .models import LeaveRequest
        from .search import LEAVE_SOURCE
        from .selectors import visible_requests

        register_nav(NavItem(_("Leave"), "leave:mine", order=22, visible=_has_employee))
        # Round-robin ticket assignment skips people on approved leave (tickets never imports leave).
        register_availability_checker(away_now)
        # Audit events on a request follow who may open it (a sick-leave reason is private).
        register_audit_scope(LeaveRequest, visible_requests)
        register_search_source(LEAVE_SOURCE)  # /search/ and /haru-search, bounded by visible_requests


def _has_employee(user) -> bool:
    from erp.people.selectors import employee_of

    return employee_of(user) is not None
