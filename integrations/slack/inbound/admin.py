from django.contrib import admin

from integrations.slack.inbound.models import SlackEventReceipt


@admin.register(SlackEventReceipt)
class SlackEventReceiptAdmin(admin.ModelAdmin):
    """Read-only: receipts are written by the events endpoint only."""

    list_display = ("event_id", "event_type", "status", "retry_num", "duplicates", "received_at")
    list_filter = ("status", "event_type")
    search_fields = ("event_id",)
    date_hierarchy = "received_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
