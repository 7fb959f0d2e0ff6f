"""Admin for the company calendar; every write is audited (erp.workcalendar.services)."""

from django.contrib import admin

from erp.audit.admin import AdminWrites, AuditTrailInline, ServiceWritesAdmin

from . import services
from .models import BreakPolicy, CompanyDayOff, WorkingHours


@admin.register(WorkingHours)
class WorkingHoursAdmin(ServiceWritesAdmin):
    writes = AdminWrites(services.working_hours_save, services.working_hours_delete, record="hours")
    list_display = ("weekday", "start", "end")
    inlines = [AuditTrailInline]


@admin.register(CompanyDayOff)
class CompanyDayOffAdmin(ServiceWritesAdmin):
    writes = AdminWrites(services.company_day_off_save, services.company_day_off_delete, record="day_off")
    list_display = ("date", "name")
    date_hierarchy = "date"
    search_fields = ("name",)
    inlines = [AuditTrailInline]


@admin.register(BreakPolicy)
class BreakPolicyAdmin(ServiceWritesAdmin):
    writes = AdminWrites(services.break_policy_save, services.break_policy_delete, record="policy")
    list_display = ("__str__", "mode", "lunch_start", "lunch_end")
    inlines = [AuditTrailInline]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not BreakPolicy.objects.exists()
