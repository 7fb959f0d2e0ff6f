from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = _("Alerts and feeds")
    # Holders of this permission administer alert sources, besides the company admins.
    module_admin_permission = "alerts.manage_sources"

    def ready(self):
        from erp.core.retention import register_retention

        from .retention import POLICIES as RETENTION

        register_retention(*RETENTION)
        from erp.core.search import register_search_source
        from erp.core.status import register_status_section
        from erp.portal.registry import NavItem, register_nav
        from tickets import signals as ticket_signals
        from tickets.timeline import register_comment_notes

        from .selectors import can_see_alerts
        from .selectors.search import GROUP_SOURCE
        from .services.helpdesk import on_ticket_commented
        from .services.reply_mail import comment_mail_notes
        from .status import SECTION as STATUS_SECTION

        register_nav(NavItem(_("Alerts"), "alerts:groups", order=60, visible=can_see_alerts))
        register_search_source(GROUP_SOURCE)
        # System status page and /metrics (erp/core/status.py).
        register_status_section(STATUS_SECTION)
        # Agents' public replies on e-mail tickets go back to the requester by mail.
        ticket_signals.ticket_commented.connect(on_ticket_commented, dispatch_uid="alerts.helpdesk.reply_by_mail")
        # The agent sees on the ticket how each reply mail went (sent, retrying, failed).
        register_comment_notes(comment_mail_notes)

        # History reports, dashboards and the morning brief (erp.history, docs/ARCHITECTURE.md).
        from erp.history.brief import register_brief_section
        from erp.history.reports import register_report
        from erp.history.rollups import register_rollup
        from erp.history.widgets import register_widget

        from .brief import BRIEF_SECTION
        from .dashboard import ALERT_REPORT, ALERT_WIDGET
        from .rollup import GROUP_ROLLUP, ITEM_ROLLUP

        register_rollup(GROUP_ROLLUP)
        register_rollup(ITEM_ROLLUP)
        register_report(ALERT_REPORT)
        register_widget(ALERT_WIDGET)
        register_brief_section(BRIEF_SECTION)
