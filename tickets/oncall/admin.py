"""Admin for the on-call roster: the rotation page with its members and overrides inline.

Every write (rotation, inline rows, deletes) goes through tickets.oncall.services and is
audited on the rotation, whose page shows the roster's history.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from erp.audit.admin import AdminWrites, AuditTrailInline, ServiceWritesAdmin

from . import services
from .models import OnCallMember, OnCallOverride, OnCallRotation
from .selectors import on_call_now


class OnCallMemberInline(admin.TabularInline):
    model = OnCallMember
    writes = AdminWrites(services.oncall_member_save, services.oncall_member_delete, record="member")
    extra = 1
    autocomplete_fields = ["employee"]


class OnCallOverrideInline(admin.TabularInline):
    model = OnCallOverride
    writes = AdminWrites(services.oncall_override_save, services.oncall_override_delete, record="override")
    extra = 0
    autocomplete_fields = ["employee"]
    fields = ("employee", "starts_at", "ends_at", "reason")


@admin.register(OnCallRotation)
class OnCallRotationAdmin(ServiceWritesAdmin):
    writes = AdminWrites(services.oncall_rotation_save, services.oncall_rotation_delete, record="rotation")
    list_display = ("group", "anchor_date", "handoff_time", "is_active", "current")
    list_filter = ("is_active",)
    inlines = [OnCallMemberInline, OnCallOverrideInline, AuditTrailInline]
    autocomplete_fields = ["group"]

    @admin.display(description=_("on call now"))
    def current(self, rotation):
        return on_call_now(rotation.group) or "—"
