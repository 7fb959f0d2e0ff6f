"""Punches (evidence; admins add through the service), unmatched punches and identifier mappings."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Min
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from erp.audit.actor import Actor
from erp.audit.models import Source
from erp.core.errors import DomainError, error_text
from erp.people.models import Employee

from ..models import Device, DeviceIdentifier, Punch, UnmatchedPunch
from ..services import device_identifier_map, punch_add
from .common import AuditOnChange, ReadOnlyEvidence


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
            by=Actor.for_request(request, source=Source.ADMIN),
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

    def has_map_permission(self, request):
        # Mapping creates a DeviceIdentifier and re-assigns punches: needs that model's add right.
        return request.user.has_perm("attendance.add_deviceidentifier")

    def changelist_view(self, request, extra_context=None):
        summary = (
            self.get_queryset(request)
            .values("employee_identifier", "device__name")
            .annotate(count=Count("id"), first=Min("at"), last=Max("at"))
            .order_by("-count")[:50]
        )
        return super().changelist_view(request, {**(extra_context or {}), "identifier_summary": summary})

    @admin.action(description=_("Map the identifier to an employee"), permissions=["map"])
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
                        by=Actor.for_request(request, source=Source.ADMIN),
                    )
                    total += matched
            except (ValidationError, DomainError) as exc:
                self.message_user(request, error_text(exc), messages.ERROR)
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
                identifier=obj.identifier,
                employee=obj.employee,
                device=obj.device,
                by=Actor.for_request(request, source=Source.ADMIN),
            )
        except ValidationError as exc:
            self.message_user(request, error_text(exc), messages.ERROR)
            raise
        obj.pk = mapping.pk
        self.message_user(request, _("%(count)d unmatched punches matched.") % {"count": matched}, messages.INFO)

    def save_related(self, request, form, formsets, change):
        pass
