from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HistoryConfig(AppConfig):
    """History search, reports, dashboards and the morning brief: the pages over every module."""

    name = "erp.history"
    label = "history"
    verbose_name = _("History and reports")

    def ready(self):
        from erp.portal.registry import HomePanel, NavItem, register_home_panel, register_nav

        from .access import works_here
        from .reports import has_reports
        from .widgets import home_panel_context

        register_nav(NavItem(_("Search"), "history:search", order=80, visible=works_here))
        register_nav(NavItem(_("Reports"), "reports:index", order=81, visible=has_reports))
        register_home_panel(HomePanel("history/panel_widgets.html", home_panel_context, order=5))
