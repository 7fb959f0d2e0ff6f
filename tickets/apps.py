from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "tickets"
    verbose_name = _("IT tickets")

    def ready(self):
        from erp.portal.registry import HomePanel, NavItem, register_home_panel, register_nav

        from .home import home_panel_context

        register_nav(NavItem(label=_("Tickets"), url_name="tickets:list", order=10))
        register_home_panel(HomePanel("tickets/home_panel.html", home_panel_context, order=10))
