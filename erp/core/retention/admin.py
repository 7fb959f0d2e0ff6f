"""Admin of the retention policies: each record type's period and action, with a dry run."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from erp.audit.admin import AdminWrites, AuditTrailInline, ServiceWritesAdmin
from erp.core.models import RetentionRun, RetentionSetting

from .registry import policies, policy
from .runner import plan
from .services import retention_setting_delete, retention_setting_save


class RetentionSettingForm(forms.ModelForm):
    key = forms.ChoiceField(label=_("record type"))

    class Meta:
        model = RetentionSetting
        fields = ["key", "days", "enabled"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].choices = [(item.key, item.label) for item in policies()]

    def clean(self):
        cleaned = super().clean()
        known = policy(cleaned.get("key") or "")
        if known is not None and cleaned.get("days") is not None and cleaned["days"] < known.minimum_days:
            raise ValidationError(
                _("The law requires keeping these records at least %(days)s days."),
                params={"days": known.minimum_days},
            )
        return cleaned


@admin.register(RetentionSetting)
class RetentionSettingAdmin(ServiceWritesAdmin):
    writes = AdminWrites(retention_setting_save, retention_setting_delete, record="setting")
    form = RetentionSettingForm  # its changes are in the audit log (audited_save)
    list_display = ("key", "days", "enabled", "updated_at")
    change_list_template = "core/retention_change_list.html"

    def get_urls(self):
        dry_run = self.admin_site.admin_view(self.dry_run_view)
        return [path("dry-run/", dry_run, name="core_retentionsetting_dry_run"), *super().get_urls()]

    def dry_run_view(self, request):
        """Every policy with its period, action and reason, and what tonight's run would remove."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Retention: what tonight's run would do"),
            "steps": plan(),
            "runs": RetentionRun.objects.all()[:10],
            "changelist_url": reverse("admin:core_retentionsetting_changelist"),
        }
        return TemplateResponse(request, "core/retention_dry_run.html", context)


@admin.register(RetentionRun)
class RetentionRunAdmin(admin.ModelAdmin):
    """Read-only: written by the nightly run (one audit event each)."""

    list_display = ("ran_at", "counts", "failed")
    inlines = [AuditTrailInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
