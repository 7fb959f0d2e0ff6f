from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meeting rooms")
    # Holders of this permission (say the office manager) administer rooms and every booking.
    module_admin_permission = "meetings.manage_rooms"

    def ready(self):
        from erp.core.retention import register_retention

        from .retention import POLICIES as RETENTION

        register_retention(*RETENTION)
        from .timeline_cache import connect as connect_timeline_cache

        # Writes to bookings, rooms and the rules retire the cached week timelines.
        connect_timeline_cache()
        from attendance.place_hints import register_place_hint
        from erp.core.search import register_search_source
        from erp.core.status import register_status_section
        from erp.portal.registry import NavItem, register_nav

        from .selectors import client_place_on
        from .selectors.search import BOOKING_SOURCE
        from .status import SECTION as STATUS_SECTION

        register_nav(NavItem(_("Meeting rooms"), "meetings:timeline", order=30))
        register_search_source(BOOKING_SOURCE)
        # System status page and /metrics (erp/core/status.py).
        register_status_section(STATUS_SECTION)
        # A "client site" meeting prefills that day's attendance check-in place (attendance
        # offers the hook; it never imports meetings).
        register_place_hint(client_place_on)

        # History reports and the morning brief (erp.history, docs/ARCHITECTURE.md).
        from erp.history.brief import register_brief_section
        from erp.history.reports import register_report
        from erp.history.rollups import register_rollup

        from .brief import BRIEF_SECTION
        from .dashboard import ROOM_REPORT
        from .rollup import BOOKING_ROLLUP

        register_rollup(BOOKING_ROLLUP)
        register_report(ROOM_REPORT)
        register_brief_section(BRIEF_SECTION)
        # The home card (the rooms now, my meetings left today); it took over the old
        # "my meetings today" panel, so the home page does not list them twice.
        from erp.history.widgets import register_widget

        from .widget import WIDGET

        register_widget(WIDGET)
