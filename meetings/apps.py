from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meeting rooms")
    # Holders of this permission (say the office manager) administer rooms and every booking.
    module_admin_permission = "meetings.manage_rooms"
