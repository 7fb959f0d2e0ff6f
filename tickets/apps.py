from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "tickets"
    verbose_name = _("IT tickets")

    def ready(self):
        from erp.core.retention import register_retention

        from .retention import POLICIES as RETENTION

        register_retention(*RETENTION)
        from erp.audit.visibility import register_audit_scope
        from erp.core.search import register_search_source
        from erp.portal.registry import HomePanel, NavItem, register_home_panel, register_nav

        from .home import home_panel_context
        from .models import Ticket
        from .selectors import TICKET_SOURCE, visible_tickets

        register_nav(NavItem(label=_("Tickets"), url_name="tickets:list", order=10))
        register_home_panel(HomePanel("tickets/home_panel.html", home_panel_context, order=10))
        register_search_source(TICKET_SOURCE)

        # History search, reports, dashboards and the morning brief (erp.history, docs/ARCHITECTURE.md).
        from erp.history.brief import register_brief_section
        from erp.history.reports import register_report
        from erp.history.rollups import register_rollup
        from erp.history.widgets import register_widget

        from .brief import BRIEF_SECTION
        from .dashboard import TICKET_REPORT
        from .rollup import TICKET_ROLLUP
        from .widgets import WIDGETS

        register_rollup(TICKET_ROLLUP)
        register_report(TICKET_REPORT)
        for widget in WIDGETS:
            register_widget(widget)
        register_brief_section(BRIEF_SECTION)

        register_audit_scope(Ticket, visible_tickets)
