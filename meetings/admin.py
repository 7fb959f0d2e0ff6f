"""Admin for rooms, bookings, settings and sync state; every write goes through meetings.services."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from erp.audit.admin import AdminWrites, AuditTrailInline, ServiceWritesAdmin

from . import services
from .models import Booking, CalendarSource, MeetingSettings, Room, SyncConflict
from .selectors import find_conflict
from .services.config import (
    calendar_source_delete,
    calendar_source_save,
    sync_conflict_delete,
    sync_conflict_save,
)
from .services.rules import BookingConflict, check_times


@admin.register(Room)
class RoomAdmin(ServiceWritesAdmin):
    writes = AdminWrites(services.room_save, services.room_delete, record="room")
    list_display = ("name", "floor", "capacity", "equipment", "is_active", "google_resource_email")
    list_filter = ("floor", "is_active")
    search_fields = ("name", "floor", "equipment")
    list_editable = ("is_active",)
    inlines = [AuditTrailInline]


class BookingAdminForm(forms.ModelForm):
    class Meta:
        model = Booking
        fields = ("room", "title", "organizer", "attendees", "start", "end", "is_private", "client_place")

    def clean(self):
        """The service's refusals as form errors (the admin would otherwise show a 500)."""
        data = super().clean()
        room, start, end = data.get("room"), data.get("start"), data.get("end")
        if room and start and end:
            moved = self.instance.pk is None or (room, start, end) != (
                self.instance.room,
                self.instance.start,
                self.instance.end,
            )
            if moved:
                check_times(start, end, source="admin")
                conflict = find_conflict(room, start, end, exclude=self.instance.pk)
                if conflict is not None:
                    raise ValidationError(
                        str(
                            BookingConflict(
                                conflict=conflict, room=room, start=start, end=end, exclude=self.instance.pk
                            )
                        )
                    )
        return data


@admin.register(Booking)
class BookingAdmin(ServiceWritesAdmin):
    writes = AdminWrites(services.booking_admin_save, services.booking_admin_delete, record="booking")
    form = BookingAdminForm
    list_display = ("title", "room", "start", "end", "organizer", "status", "source")
    list_filter = ("status", "source", "room__floor", "room")
    search_fields = ("title", "organizer__display_name", "room__name")
    date_hierarchy = "start"
    autocomplete_fields = ["organizer", "attendees"]
    list_select_related = ("room", "organizer")
    inlines = [AuditTrailInline]


@admin.register(MeetingSettings)
class MeetingSettingsAdmin(ServiceWritesAdmin):
    writes = AdminWrites(services.meeting_settings_save, services.meeting_settings_delete, record="settings")
    list_display = ("__str__", "buffer_minutes", "opens_at", "closes_at", "release_after_minutes")

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not MeetingSettings.objects.exists()


@admin.register(CalendarSource)
class CalendarSourceAdmin(ServiceWritesAdmin):
    writes = AdminWrites(calendar_source_save, calendar_source_delete, record="source")
    list_display = ("room", "kind", "address", "is_active", "last_synced_at", "failures", "last_error")
    list_filter = ("kind", "is_active")
    readonly_fields = ("sync_token", "etag", "last_modified", "last_synced_at", "last_error", "failures")


@admin.register(SyncConflict)
class SyncConflictAdmin(ServiceWritesAdmin):
    writes = AdminWrites(sync_conflict_save, sync_conflict_delete, record="conflict")
    list_display = ("room", "start", "end", "title", "external_id", "kept", "resolved", "created_at")
    list_filter = ("resolved", "room")
    readonly_fields = ("source", "room", "external_id", "title", "start", "end", "kept", "detail", "created_at")

    def has_add_permission(self, request):
        return False  # conflicts are what a sync found, never typed in
