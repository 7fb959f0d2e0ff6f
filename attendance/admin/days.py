"""Work days (re-derive, leave) and corrections (approve / reject through the service)."""

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from erp.audit.actor import Actor
from erp.audit.models import Source
from erp.core.errors import DomainError, error_text
from erp.people.models import Employee
from erp.workcalendar.calendar import get_calendar

from ..models import Correction, WorkDay
from ..services import correction_decide, rederive, work_day_set_leave
from .common import AuditOnChange

MAX_LEAVE_DAYS = 62


class LeaveForm(forms.Form):
    employee = forms.ModelChoiceField(
        label=_("Employee"), queryset=Employee.objects.filter(user__is_active=True).select_related("department")
    )
    first_day = forms.DateField(
        label=pgettext_lazy("date range", "From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    last_day = forms.DateField(label=pgettext_lazy("date range", "To"), widget=forms.DateInput(attrs={"type": "date"}))
    on_leave = forms.ChoiceField(
        label=_("Action"), choices=[("1", _("Mark on leave")), ("0", _("Clear leave"))], initial="1"
    )

    def clean(self):
        data = super().clean()
        first, last = data.get("first_day"), data.get("last_day")
        if first and last:
            if last < first:
                self.add_error("last_day", _("The end is before the start."))
            elif (last - first).days >= MAX_LEAVE_DAYS:
                self.add_error("last_day", _("At most %(n)d days at once.") % {"n": MAX_LEAVE_DAYS})
        return data


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

    def get_urls(self):
        return [
            path("leave/", self.admin_site.admin_view(self.leave_view), name="attendance_workday_leave"),
            *super().get_urls(),
        ]

    def leave_view(self, request):
        """Mark or clear leave for a person over a date range (working days only)."""
        # Marking leave changes work days (and weekly figures): viewing them is not enough.
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = LeaveForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data, calendar, count = form.cleaned_data, get_calendar(), 0
            actor = Actor.for_request(request, source=Source.ADMIN)
            day = data["first_day"]
            while day <= data["last_day"]:
                if calendar.is_working_day(day):
                    work_day_set_leave(employee=data["employee"], date=day, on_leave=data["on_leave"] == "1", by=actor)
                    count += 1
                day += timedelta(days=1)
            self.message_user(request, _("%(count)d working days updated.") % {"count": count}, messages.SUCCESS)
            return redirect("admin:attendance_workday_changelist")
        return TemplateResponse(
            request,
            "admin/attendance/workday_leave.html",
            {**self.admin_site.each_context(request), "opts": self.model._meta, "form": form, "title": _("Leave")},
        )

    @admin.action(description=_("Re-derive from punches"), permissions=["change"])
    def rederive_days(self, request, queryset):
        dates: dict[int, set] = {}
        for employee_id, day in queryset.values_list("employee_id", "date"):
            dates.setdefault(employee_id, set()).add(day)
        changes = rederive(dates, by=Actor.for_request(request, source=Source.ADMIN))
        self.message_user(request, _("%(count)d days changed.") % {"count": len(changes)}, messages.SUCCESS)

    def _leave(self, request, queryset, on_leave):
        by = Actor.for_request(request, source=Source.ADMIN)
        for work_day in queryset.select_related("employee"):
            work_day_set_leave(employee=work_day.employee, date=work_day.date, on_leave=on_leave, by=by)
        self.message_user(request, _("Updated."), messages.SUCCESS)

    @admin.action(description=_("Mark on leave"), permissions=["change"])
    def mark_leave(self, request, queryset):
        self._leave(request, queryset, True)

    @admin.action(description=_("Clear leave"), permissions=["change"])
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
        done, by = 0, Actor.for_request(request, source=Source.ADMIN)
        for correction in queryset.filter(status=Correction.Status.PENDING):
            try:
                correction_decide(correction=correction, approve=approve, note=str(_("Decided in admin")), by=by)
                done += 1
            except (DomainError, ValidationError, PermissionDenied) as exc:
                self.message_user(request, f"{correction}: {error_text(exc)}", messages.ERROR)
        self.message_user(request, _("%(count)d corrections decided.") % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Approve selected pending corrections"), permissions=["change"])
    def approve(self, request, queryset):
        self._decide(request, queryset, True)

    @admin.action(description=_("Reject selected pending corrections"), permissions=["change"])
    def reject(self, request, queryset):
        self._decide(request, queryset, False)
