"""Devices: tokens shown once, CSV upload; punch batches (read-only evidence)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from erp.audit.actor import Actor
from erp.audit.models import Source

from ..csv_import import CSVImportError, items_from_csv
from ..models import Device, PunchBatch
from ..services import device_create, device_issue_token, device_revoke_token, device_update, punches_ingest
from ..services.devices import DEVICE_FIELDS
from .common import AuditOnChange, ReadOnlyEvidence

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


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
        # The services validate, save and audit old → new values; the form has validated already.
        values = {name: form.cleaned_data[name] for name in DEVICE_FIELDS if name in form.cleaned_data}
        if change:
            device = device_update(device=obj, by=Actor.for_request(request, source=Source.ADMIN), **values)
        else:
            device = device_create(by=Actor.for_request(request, source=Source.ADMIN), **values)
        # The admin goes on with ``obj`` (messages, LogEntry, redirect): give it the saved state.
        obj.pk, obj.created_at = device.pk, device.created_at
        obj._state.adding, obj._state.db = False, device._state.db

    @admin.action(description=_("Issue a new token (shown once)"))
    def issue_token(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one device."), messages.ERROR)
            return None
        device = queryset.get()
        token = device_issue_token(device=device, by=Actor.for_request(request, source=Source.ADMIN))
        # Rendered once, never stored in a message cookie or the database.
        return TemplateResponse(
            request,
            "admin/attendance/device_token.html",
            {**self.admin_site.each_context(request), "device": device, "token": token, "opts": self.model._meta},
        )

    @admin.action(description=_("Revoke token"))
    def revoke_token(self, request, queryset):
        for device in queryset:
            device_revoke_token(device=device, by=Actor.for_request(request, source=Source.ADMIN))
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
                    by=Actor.for_request(request, source=Source.ADMIN),
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
