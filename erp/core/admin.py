from django.contrib import admin

from .models import WebhookReceipt


@admin.register(WebhookReceipt)
class WebhookReceiptAdmin(admin.ModelAdmin):
    """Read-only: receipts are written by the webhook intake only (erp/core/webhooks)."""

    list_display = ("source", "key", "principal", "state", "status_code", "duplicates", "claimed_at")
    list_filter = ("source", "state")
    search_fields = ("key",)
    date_hierarchy = "claimed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
