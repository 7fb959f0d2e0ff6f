from django.contrib import admin

from integrations.slack.socket.models import SocketConnection, SocketEnvelope


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written by the slack_socket processes only; the admin looks."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SocketConnection)
class SocketConnectionAdmin(ReadOnlyAdmin):
    list_display = (
        "name",
        "state",
        "num_connections",
        "reconnects",
        "envelopes",
        "last_disconnect_reason",
        "heartbeat_at",
    )


@admin.register(SocketEnvelope)
class SocketEnvelopeAdmin(ReadOnlyAdmin):
    list_display = ("envelope_id", "kind", "status", "duplicates", "handled_by", "received_at")
    list_filter = ("kind", "status")
    search_fields = ("envelope_id",)
