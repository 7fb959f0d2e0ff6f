"""Admin for devices (tokens, CSV upload), punches, unmatched punches, work days and corrections.

Every write goes through attendance.services with an admin Actor; punches and batches are
evidence and read-only here.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max, Min
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from erp.audit.actor import Actor
from erp.audit.admin import AuditTrailInline
from erp.audit.services import audit_record
from erp.core.errors import DomainError
from erp.people.models import Employee

from .csv_import import CSVImportError, items_from_csv
from .models import (
    Correction,
    Device,
    DeviceIdentifier,
    Punch,
    PunchBatch,
    UnmatchedPunch,
    WorkDay,
)
from .services import (
    correction_decide,
    device_identifier_map,
    device_issue_token,
    device_revoke_token,
    punch_add,
    punches_ingest,
    rederive,
    work_day_set_leave,
)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def _admin(request) -> Actor:
    return Actor(user=request.user, source="admin")


def _error_text(exc) -> str:
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


class AuditOnChange:
    """Show the audit trail on existing records only (an add form has no history)."""

    inlines = [AuditTrailInline]

    def get_inline_instances(self, request, obj=None):
        return super().get_inline_instances(request, obj) if obj is not None else []


class ReadOnlyEvidence:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- devices ---------------------------------------------------------------------------------
class CSVUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_("UTF-8 or CP949/EUC-KR; the first row names the columns."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is too large (at most 20 MB)."))
        return upload


@admin.register(Device)
class DeviceAdmin(AuditOnChange, admin.ModelAdmin):
    list_display = ("name", "code", "location", "place", "token_state", "token_prefix", "last_seen_at", "upload_link")
    list_filter = ("location",)
    search_fields = ("name", "code", "place")
    readonly_fields = ("token_state", "token_prefix", "token_issued_at", "revoked_at", "last_seen_at", "upload_link")
    actions = ["issue_token", "revoke_token"]

    @admin.display(description=_("token"))
    def token_state(self, obj):
        if obj.has_active_token:
            return _("active")
        return _("revoked") if obj.revoked_at else _("none")

    @admin.display(description=_("CSV"))
    def upload_link(self, obj):
        if not obj.pk:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:attendance_device_upload", args=[obj.pk]), _("Upload CSV")
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(obj, "changed" if change else "created", by=_admin(request))

    @admin.action(description=_("Issue a new token (shown once)"))
    def issue_token(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one device."), messages.ERROR)
            return None
        device = queryset.get()
        token = device_issue_token(device=device, by=_admin(request))
        # Rendered once, never stored in a message cookie or the database.
        return TemplateResponse(
            request,
            "admin/attendance/device_token.html",
            {**self.admin_site.each_context(request), "device": device, "token": token, "opts": self.model._meta},
        )

    @admin.action(description=_("Revoke token"))
    def revoke_token(self, request, queryset):
        for device in queryset:
            device_revoke_token(device=device, by=_admin(request))
        self.message_user(request, _("Tokens revoked."), messages.SUCCESS)

    def get_urls(self):
        return [
            path("<int:pk>/upload/", self.admin_site.admin_view(self.upload_view), name="attendance_device_upload"),
            *super().get_urls(),
        ]

    def upload_view(self, request, pk):
        if not self.has_change_permission(request):
            raise PermissionDenied
        device = get_object_or_404(Device, pk=pk)
        result = None
        form = CSVUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                items = items_from_csv(upload.read())
            except CSVImportError as exc:
                form.add_error("file", str(exc))
            else:
                result = punches_ingest(
                    device=device,
                    items=items,
                    by=_admin(request),
                    kind=PunchBatch.Kind.CSV,
                    filename=upload.name,
                    naive_means_kst=True,
                )
                for error in result.errors:
                    error["line"] = items[error["index"]].get("line")
        return TemplateResponse(
            request,
            "admin/attendance/device_upload.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "device": device,
                "form": form,
                "result": result,
                "title": _("Upload punches for %(device)s") % {"device": device},
            },
        )


@admin.register(PunchBatch)
class PunchBatchAdmin(AuditOnChange, ReadOnlyEvidence, admin.ModelAdmin):
    list_display = ("received_at", "device", "kind", "filename", "accepted", "duplicates", "unmatched", "rejected")
    list_filter = ("kind", "device")
    date_hierarchy = "received_at"
    list_select_related = ("device",)

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff


# --- punches -------------------------------------------------------------------------------
class PunchAddForm(forms.ModelForm):
    class Meta:
        model = Punch
        fields = ("employee", "at", "direction", "location", "place")

    def clean(self):
        data = super().clean()
        if data.get("at") and data["at"] > timezone.now():
            self.add_error("at", _("A punch cannot be in the future."))
        if data.get("employee") and not data["employee"].user.is_active:
            self.add_error("employee", _("This person is not an active employee."))
        return data


@admin.register(Punch)
class PunchAdmin(AuditOnChange, admin.ModelAdmin):
    list_display = ("at", "employee", "employee_identifier", "direction", "source", "location", "place", "device")
    list_filter = ("source", "direction", "location", "device")
    search_fields = ("employee__display_name", "employee__employee_no", "employee_identifier", "device_event_id")
    date_hierarchy = "at"
    list_select_related = ("employee", "device")
    autocomplete_fields = ("employee",)
    show_full_result_count = False  # no COUNT(*) over the whole ledger

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = PunchAddForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return [f.name for f in Punch._meta.fields]

    def has_change_permission(self, request, obj=None):
        return False if obj is not None else super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # The one write path: the service records, audits and re-derives.
        result = punch_add(
            employee=obj.employee,
            at=obj.at,
            direction=obj.direction,
            location=obj.location,
            place=obj.place,
            by=_admin(request),
        )
        obj.pk = result.punch.pk

    def save_related(self, request, form, formsets, change):
        pass  # punches have no related objects to save; the audit inline is read-only


class MapIdentifierForm(forms.Form):
    employee = forms.ModelChoiceField(
        label=_("Employee"), queryset=Employee.objects.filter(user__is_active=True).select_related("department")
    )
    scope = forms.ChoiceField(
        label=_("Mapping applies to"),
        choices=[("device", _("This device only")), ("global", _("Every device"))],
        initial="device",
    )


@admin.register(UnmatchedPunch)
class UnmatchedPunchAdmin(ReadOnlyEvidence, admin.ModelAdmin):
    list_display = ("employee_identifier", "at", "direction", "device", "received_at")
    list_filter = ("device",)
    search_fields = ("employee_identifier",)
    date_hierarchy = "at"
    list_select_related = ("device",)
    actions = ["map_identifier"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(employee=None)

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff

    def changelist_view(self, request, extra_context=None):
        summary = (
            self.get_queryset(request)
            .values("employee_identifier", "device__name")
            .annotate(count=Count("id"), first=Min("at"), last=Max("at"))
            .order_by("-count")[:50]
        )
        return super().changelist_view(request, {**(extra_context or {}), "identifier_summary": summary})

    @admin.action(description=_("Map the identifier to an employee"))
    def map_identifier(self, request, queryset):
        pairs = sorted(set(queryset.values_list("employee_identifier", "device_id")))
        identifiers = sorted({identifier for identifier, _ in pairs})
        if len(identifiers) != 1:
            self.message_user(request, _("Select punches of exactly one identifier."), messages.ERROR)
            return None
        form = MapIdentifierForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            scope = form.cleaned_data["scope"]
            devices = {device_id for _, device_id in pairs}
            targets = [None] if scope == "global" else [Device.objects.get(pk=pk) for pk in devices]
            total = 0
            try:
                for device in targets:
                    _mapping, matched = device_identifier_map(
                        identifier=identifiers[0],
                        employee=form.cleaned_data["employee"],
                        device=device,
                        by=_admin(request),
                    )
                    total += matched
            except (ValidationError, DomainError) as exc:
                self.message_user(request, _error_text(exc), messages.ERROR)
                return None
            self.message_user(
                request,
                _("%(identifier)s is now %(employee)s; %(count)d punches matched and their days re-derived.")
                % {"identifier": identifiers[0], "employee": form.cleaned_data["employee"], "count": total},
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(
            request,
            "admin/attendance/map_identifier.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "identifier": identifiers[0],
                "form": form,
                "queryset": queryset,
                "count": queryset.count(),
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                "title": _("Map a device identifier"),
            },
        )


@admin.register(DeviceIdentifier)
class DeviceIdentifierAdmin(AuditOnChange, admin.ModelAdmin):
    list_display = ("identifier", "employee", "device", "created_at")
    list_filter = ("device",)
    search_fields = ("identifier", "employee__display_name", "employee__employee_no")
    autocomplete_fields = ("employee",)
    list_select_related = ("employee", "device")

    def get_readonly_fields(self, request, obj=None):
        # Changing a mapping would silently re-attribute evidence; delete and map again instead.
        return ("identifier", "employee", "device", "created_at") if obj else ()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return
        try:
            mapping, matched = device_identifier_map(
                identifier=obj.identifier, employee=obj.employee, device=obj.device, by=_admin(request)
            )
        except ValidationError as exc:
            self.message_user(request, _error_text(exc), messages.ERROR)
            raise
        obj.pk = mapping.pk
        self.message_user(request, _("%(count)d unmatched punches matched.") % {"count": matched}, messages.INFO)

    def save_related(self, request, form, formsets, change):
        pass


# --- days and corrections ------------------------------------------------------------------------
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
        changes = rederive(dates, by=_admin(request))
        self.message_user(request, _("%(count)d days changed.") % {"count": len(changes)}, messages.SUCCESS)

    def _leave(self, request, queryset, on_leave):
        for work_day in queryset.select_related("employee"):
            work_day_set_leave(employee=work_day.employee, date=work_day.date, on_leave=on_leave, by=_admin(request))
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
                    correction=correction, approve=approve, note=str(_("Decided in admin")), by=_admin(request)
                )
                done += 1
            except (DomainError, ValidationError, PermissionDenied) as exc:
                self.message_user(request, f"{correction}: {_error_text(exc)}", messages.ERROR)
        self.message_user(request, _("%(count)d corrections decided.") % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Approve selected pending corrections"))
    def approve(self, request, queryset):
        self._decide(request, queryset, True)

    @admin.action(description=_("Reject selected pending corrections"))
    def reject(self, request, queryset):
        self._decide(request, queryset, False)
