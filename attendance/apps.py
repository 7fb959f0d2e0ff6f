from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    name = "attendance"
    verbose_name = _("Attendance")

    def ready(self):
        from erp.core.retention import register_retention

        from .retention import POLICIES as RETENTION

        register_retention(*RETENTION)
        from erp.audit.visibility import register_audit_scope
        from erp.core.search import register_search_source
        from erp.portal.registry import HomePanel, NavItem, register_home_panel, register_nav
        from tickets.availability import register_availability_checker

        from .availability import off_today
        from .models import Correction, Punch, WorkDay
        from .selectors import is_team_viewer, visible_corrections, visible_employees
        from .selectors.search import CORRECTION_SOURCE
        from .views import home_panel_context

        register_nav(NavItem(_("Attendance"), "attendance:month", order=20, visible=_has_employee))
        register_nav(NavItem(_("Team attendance"), "attendance:team", order=21, visible=is_team_viewer))
        register_home_panel(HomePanel("attendance/panel_home.html", home_panel_context, order=1))
        register_search_source(CORRECTION_SOURCE)
        # Round-robin ticket assignment skips people on leave. tickets must not import attendance,
        # so attendance registers with tickets' small registry (no app-neutral one exists).
        register_availability_checker(off_today)
        # Audit events on punches, work days and corrections follow who may see them.
        register_audit_scope(Punch, lambda user: Punch.objects.filter(employee__in=visible_employees(user)))
        register_audit_scope(WorkDay, lambda user: WorkDay.objects.filter(employee__in=visible_employees(user)))
        register_audit_scope(Correction, visible_corrections)
        # Approved full-day leave marks the work days (attendance listens; leave never imports it).
        if apps.is_installed("leave"):
            from leave.presence import register_presence_source

            from .leave_sync import connect
            from .selectors.figures import presence_days

            connect()
            # The 80 % rule of annual leave (제60조①) reads who was at work from the ledger.
            register_presence_source(presence_days)

        # History reports, dashboards and the morning brief (erp.history, docs/ARCHITECTURE.md).
        from erp.history.brief import register_brief_section
        from erp.history.reports import register_report
        from erp.history.rollups import register_rollup
        from erp.history.widgets import register_widget

        from .brief import BRIEF_SECTION
        from .dashboard import ATTENDANCE_REPORT, TEAM_HOURS_WIDGET
        from .rollup import WORK_DAY_ROLLUP

        register_rollup(WORK_DAY_ROLLUP)
        register_report(ATTENDANCE_REPORT)
        register_brief_section(BRIEF_SECTION)
        register_widget(TEAM_HOURS_WIDGET)


def _has_employee(user) -> bool:
    from erp.people.selectors import employee_of

    return employee_of(user) is not None
