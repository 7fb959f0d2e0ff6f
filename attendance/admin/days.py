"""Work days (re-derive, leave) and corrections (approve / reject through the service)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from erp.core.errors import DomainError

from ..models import Correction, WorkDay
from ..services import correction_decide, rederive, work_day_set_leave
from .common import AuditOnChange, admin_actor, error_text


@admin.register(WorkDay)
class WorkDayAdmin(AuditOnChange, admin.ModelAdmin):
    list_display = (
        "date",
        "employee",
        "state",
        "first_in",
        "last_out",
        "location",
        "worked_minutes",
        "is_corrected_display",
    )
    list_filter = ("state", "location", "on_leave", "employee__department")
    search_fields = ("employee__display_name", "employee__employee_no")
    date_hierarchy = "date"
    list_select_related = ("employee",)
    show_full_result_count = False
    actions = ["rederive_days", "mark_leave", "clear_leave"]

    @admin.display(description=_("corrected"), boolean=True)
    def is_corrected_display(self, obj):
        return obj.is_corrected

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in WorkDay._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Re-derive from punches"))
    def rederive_days(self, request, queryset):
        dates: dict[int, set] = {}
        for employee_id, day in queryset.values_list("employee_id", "date"):
            dates.setdefault(employee_id, set()).add(day)
        changes = rederive(dates, by=admin_actor(request))
        self.message_user(request, _("%(count)d days changed.") % {"count": len(changes)}, messages.SUCCESS)

    def _leave(self, request, queryset, on_leave):
        for work_day in queryset.select_related("employee"):
            work_day_set_leave(
                employee=work_day.employee, date=work_day.date, on_leave=on_leave, by=admin_actor(request)
            )
        self.message_user(request, _("Updated."), messages.SUCCESS)

    @admin.action(description=_("Mark on leave"))
    def mark_leave(self, request, queryset):
        self._leave(request, queryset, True)

    @admin.action(description=_("Clear leave"))
    def clear_leave(self, request, queryset):
        self._leave(request, queryset, False)


@admin.register(Correction)
class CorrectionAdmin(AuditOnChange, admin.ModelAdmin):
    list_display = ("date", "employee", "status", "proposed_in", "proposed_out", "created_at", "decided_by")
    list_filter = ("status", "employee__department")
    search_fields = ("employee__display_name", "reason")
    date_hierarchy = "date"
    list_select_related = ("employee", "decided_by")
    actions = ["approve", "reject"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Correction._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _decide(self, request, queryset, approve):
        done = 0
        for correction in queryset.filter(status=Correction.Status.PENDING):
            try:
                correction_decide(
                    correction=correction, approve=approve, note=str(_("Decided in admin")), by=admin_actor(request)
                )
                done += 1
            except (DomainError, ValidationError, PermissionDenied) as exc:
                self.message_user(request, f"{correction}: {error_text(exc)}", messages.ERROR)
        self.message_user(request, _("%(count)d corrections decided.") % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Approve selected pending corrections"))
    def approve(self, request, queryset):
        self._decide(request, queryset, True)

    @admin.action(description=_("Reject selected pending corrections"))
    def reject(self, request, queryset):
        self._decide(request, queryset, False)
