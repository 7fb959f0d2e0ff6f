from django.contrib import admin

from erp.audit.admin import AdminWrites, AuditTrailInline, ServiceWritesAdmin

from .models import ScheduledRun, SecuritySettings, WebhookReceipt
from .security_settings import security_settings_delete, security_settings_save


class _WrittenByTheSystem(admin.ModelAdmin):
    """Rows only the system writes: admins may look (and delete), never add or edit."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WebhookReceipt)
class WebhookReceiptAdmin(_WrittenByTheSystem):
    """Read-only: receipts are written by the webhook intake only (erp/core/webhooks)."""

    list_display = ("source", "key", "principal", "state", "status_code", "duplicates", "claimed_at")
    list_filter = ("source", "state")
    search_fields = ("key",)
    date_hierarchy = "claimed_at"


@admin.register(ScheduledRun)
class ScheduledRunAdmin(_WrittenByTheSystem):
    """Did today's digest / morning post run? Read-only; delete a row to let the job run again."""

    list_display = ("day", "job", "ran_at", "result")
    list_filter = ("job",)
    date_hierarchy = "day"


@admin.register(SecuritySettings)
class SecuritySettingsAdmin(ServiceWritesAdmin):
    """One row: session lifetime (idle timeout, longest session). Edits are audited."""

    writes = AdminWrites(security_settings_save, security_settings_delete, record="settings")
    list_display = ("__str__", "session_idle_minutes", "session_max_hours", "updated_at")
    inlines = [AuditTrailInline]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not SecuritySettings.objects.exists()


from .retention import admin as retention_admin  # noqa: E402, F401  (its models live in this app)
