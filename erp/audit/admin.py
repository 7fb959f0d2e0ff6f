from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditTrailInline(ReadOnlyAdminMixin, GenericTabularInline):
    """Add to any ModelAdmin's inlines to show the record's audit history on its page."""

    model = AuditEvent
    ct_field = "content_type"
    ct_fk_field = "object_id"
    fields = ("created_at", "action", "actor_label", "source", "changes", "context")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("-created_at",)
    verbose_name_plural = _("audit history")


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "object_repr", "content_type", "action", "actor_label", "source")
    list_filter = ("source", "content_type", "action")
    search_fields = ("object_repr", "actor_label", "action")
    date_hierarchy = "created_at"
    list_select_related = ("content_type",)

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff
