"""Admin: the open push channels (read-only) and the room import from Google Workspace.

The import button sits on the meeting rooms' list (template
integrations/templates/admin/meetings/room/change_list.html): meetings knows nothing of
Google, so the integration adds the button rather than the rooms' own admin.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from erp.audit.actor import Actor
from erp.audit.models import Source

from .http import CalendarHTTPError
from .models import PushChannel
from .rooms import import_rooms


@admin.register(PushChannel)
class PushChannelAdmin(admin.ModelAdmin):
    list_display = ("source", "channel_id", "expires_at", "messages", "last_message_at")
    readonly_fields = ("source", "channel_id", "resource_id", "expires_at", "created_at", "messages", "last_message_at")
    exclude = ("token",)

    def has_add_permission(self, request):
        return False  # opened by the calendar job when GOOGLE_CALENDAR_PUSH_URL is set

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view(require_POST(self.import_rooms_view))
        return [path("import-rooms/", view, name="calendar_import_rooms"), *super().get_urls()]

    def import_rooms_view(self, request):
        if not (request.user.has_perm("meetings.add_room") and request.user.has_perm("meetings.change_room")):
            raise PermissionDenied
        try:
            result = import_rooms(by=Actor.for_request(request, source=Source.ADMIN))
        except CalendarHTTPError as exc:
            self.message_user(
                request, _("The Google room directory could not be read: %(error)s") % {"error": exc}, messages.ERROR
            )
        else:
            summary = _("%(created)d added, %(updated)d updated, %(unchanged)d unchanged") % {
                "created": len(result.created),
                "updated": len(result.updated),
                "unchanged": result.unchanged,
            }
            self.message_user(request, summary, messages.SUCCESS)
        return redirect("admin:meetings_room_changelist")
