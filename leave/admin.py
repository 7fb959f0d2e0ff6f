"""Admin: leave types, hire dates, the company policy and adjustments (audited through the
services); requests read-only, decided or cancelled through the same services as the portal."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from erp.audit.actor import Actor
from erp.audit.admin import AdminWrites, AuditTrailInline, ServiceWritesAdmin
from erp.audit.models import Source
from erp.core.errors import DomainError, error_text

from . import services
from .models import LeaveAdjustment, LeavePolicy, LeaveProfile, LeaveRequest, LeaveType


@admin.register(LeaveType)
class LeaveTypeAdmin(ServiceWritesAdmin):
    writes = AdminWrites(services.leave_type_save, services.leave_type_delete, record="leave_type")
    list_display = ("name", "name_en", "code", "day_fraction", "part", "is_paid", "deducts_annual", "is_active")
    list_display += ("order",)
    list_editable = ("is_active", "order")
    inlines = [AuditTrailInline]


@admin.register(LeaveProfile)
class LeaveProfileAdmin(ServiceWritesAdmin):
    writes = AdminWrites(services.leave_profile_save, services.leave_profile_delete, record="profile")
    list_display = ("employee", "hire_date")
    search_fields = ("employee__display_name", "employee__employee_no")
    autocomplete_fields = ["employee"]
    inlines = [AuditTrailInline]


@admin.register(LeavePolicy)
class LeavePolicyAdmin(ServiceWritesAdmin):
    writes = AdminWrites(services.leave_policy_save, services.leave_policy_delete, record="policy")
    list_display = ("basis", "fiscal_year_start_month", "fixed_days")
    inlines = [AuditTrailInline]

    def has_add_permission(self, request):
        # One company policy: the first row is the one that applies (leave.selectors.current_policy).
        return super().has_add_permission(request) and not LeavePolicy.objects.exists()


@admin.register(LeaveAdjustment)
class LeaveAdjustmentAdmin(ServiceWritesAdmin):
    writes = AdminWrites(services.leave_adjustment_save, services.leave_adjustment_delete, record="adjustment")
    list_display = ("employee", "effective_date", "days", "reason")
    search_fields = ("employee__display_name",)
    autocomplete_fields = ["employee"]
    inlines = [AuditTrailInline]


@admin.register(LeaveRequest)
class LeaveRequestAdmin(admin.ModelAdmin):
    list_display = ("employee", "leave_type", "start_date", "end_date", "part", "days", "status", "decided_by")
    list_filter = ("status", "leave_type", "employee__department")
    search_fields = ("employee__display_name", "reason")
    date_hierarchy = "start_date"
    actions = ["approve_selected", "reject_selected", "cancel_selected"]
    inlines = [AuditTrailInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False  # requests are made in the portal, the API or Slack (with the balance checks)

    def has_delete_permission(self, request, obj=None):
        return False  # cancel instead: the trail stays

    def _run(self, request, queryset, service, done):
        by = Actor.for_request(request, source=Source.ADMIN)
        count = 0
        for leave in queryset:
            try:
                service(request=leave, by=by)
                count += 1
            except (PermissionDenied, ValidationError, DomainError) as exc:
                self.message_user(request, f"{leave}: {error_text(exc)}", messages.WARNING)
        if count:
            self.message_user(request, done % {"n": count}, messages.SUCCESS)

    @admin.action(description=_("Approve selected leave"), permissions=["change"])
    def approve_selected(self, request, queryset):
        self._run(request, queryset, services.leave_approve, _("%(n)d approved."))

    @admin.action(description=_("Reject selected leave"), permissions=["change"])
    def reject_selected(self, request, queryset):
        self._run(request, queryset, services.leave_reject, _("%(n)d rejected."))

    @admin.action(description=_("Cancel selected leave"), permissions=["change"])
    def cancel_selected(self, request, queryset):
        self._run(request, queryset, services.leave_cancel, _("%(n)d cancelled."))
