from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "tickets"
    verbose_name = _("IT tickets")

    def ready(self):
        from erp.audit.visibility import register_audit_scope
        from erp.core.search import register_search_source
        from erp.portal.registry import HomePanel, NavItem, register_home_panel, register_nav

        from .home import home_panel_context
        from .models import Ticket
        from .selectors import TICKET_SOURCE, visible_tickets

        register_nav(NavItem(label=_("Tickets"), url_name="tickets:list", order=10))
        register_home_panel(HomePanel("tickets/home_panel.html", home_panel_context, order=10))
        register_search_source(TICKET_SOURCE)
        register_audit_scope(Ticket, visible_tickets)
