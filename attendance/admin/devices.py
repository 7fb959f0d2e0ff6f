"""Devices: tokens shown once, CSV upload; punch batches (read-only evidence)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from erp.audit.actor import Actor
from erp.audit.models import Source

from ..csv_import import CSVImportError, items_from_csv
from ..models import Device, HeldPunch, PunchBatch
from ..services import (
    device_clear_signing_secret,
    device_create,
    device_issue_signing_secret,
    device_issue_token,
    device_revoke_token,
    device_set_scope,
    device_update,
    held_punch_approve,
    held_punch_reject,
    punches_ingest,
)
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
    list_display = (
        "name",
        "code",
        "location",
        "place",
        "token_state",
        "token_prefix",
        "signing_state",
        "last_seen_at",
        "upload_link",
    )
    list_filter = ("location",)
    search_fields = ("name", "code", "place")
    readonly_fields = (
        "token_state",
        "token_prefix",
        "token_issued_at",
        "revoked_at",
        "signing_state",
        "signing_secret_issued_at",
        "last_seen_at",
        "upload_link",
    )
    autocomplete_fields = ("allowed_employees",)
    filter_horizontal = ("allowed_departments",)
    actions = ["issue_token", "revoke_token", "issue_signing_secret", "clear_signing_secret"]

    @admin.display(description=_("request signing"))
    def signing_state(self, obj):
        return _("required") if obj.requires_signature else _("off")

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

    def save_related(self, request, form, formsets, change):
        # The scope through its service (audited old → new), not form.save_m2m().
        if "allowed_employees" in form.cleaned_data:
            device_set_scope(
                device=form.instance,
                employees=form.cleaned_data["allowed_employees"],
                departments=form.cleaned_data["allowed_departments"],
                by=Actor.for_request(request, source=Source.ADMIN),
            )
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    @admin.action(description=_("Issue a signing secret (shown once)"))
    def issue_signing_secret(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one device."), messages.ERROR)
            return None
        device = queryset.get()
        secret = device_issue_signing_secret(device=device, by=Actor.for_request(request, source=Source.ADMIN))
        return TemplateResponse(
            request,
            "admin/attendance/device_signing_secret.html",
            {**self.admin_site.each_context(request), "device": device, "secret": secret, "opts": self.model._meta},
        )

    @admin.action(description=_("Stop requiring signatures"))
    def clear_signing_secret(self, request, queryset):
        for device in queryset:
            device_clear_signing_secret(device=device, by=Actor.for_request(request, source=Source.ADMIN))
        self.message_user(request, _("Signatures are no longer required from these devices."), messages.SUCCESS)

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


@admin.register(HeldPunch)
class HeldPunchAdmin(AuditOnChange, admin.ModelAdmin):
    """The review queue of back-dated device punches: approve applies, reject keeps as evidence."""

    list_display = ("at", "employee", "employee_identifier", "direction", "device", "status", "received_at")
    list_filter = ("status", "device")
    search_fields = ("employee_identifier", "employee__display_name", "device_event_id")
    date_hierarchy = "at"
    list_select_related = ("device", "employee")
    actions = ["approve", "reject"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _decide(self, request, queryset, decide, done_message):
        actor = Actor.for_request(request, source=Source.ADMIN)
        decided, refused = 0, []
        for held in queryset.filter(status=HeldPunch.Status.PENDING):
            try:
                decide(held=held, by=actor)
                decided += 1
            except ValidationError as exc:
                refused.append(f"{held}: {' '.join(exc.messages)}")
        skipped = queryset.exclude(status=HeldPunch.Status.PENDING).count()
        self.message_user(request, done_message % {"count": decided}, messages.SUCCESS)
        if skipped:
            self.message_user(
                request, _("%(count)d already decided, left as they were.") % {"count": skipped}, messages.WARNING
            )
        for line in refused:
            self.message_user(request, line, messages.ERROR)

    @admin.action(description=_("Approve: apply to the work days"), permissions=["change"])
    def approve(self, request, queryset):
        self._decide(request, queryset, held_punch_approve, _("%(count)d held punches applied."))

    @admin.action(description=_("Reject: keep as evidence, never apply"), permissions=["change"])
    def reject(self, request, queryset):
        self._decide(request, queryset, held_punch_reject, _("%(count)d held punches rejected."))
