"""Admin for the Slack outbox and message references."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from integrations.slack.core.client import SlackNotConfigured
from integrations.slack.core.models import MessageRef, SlackMessage
from integrations.slack.core.outbox import retry_messages
from integrations.slack.core.preview import render_blocks
from integrations.slack.core.visibility import BodyReader

# Fields that carry a message's content; hidden for direct messages the viewer may not read.
_BODY_FIELDS = ("preview", "text", "blocks", "state")


@admin.register(SlackMessage)
class SlackMessageAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "operation", "target", "status", "attempts", "error_code", "created_at", "sent_at")
    list_filter = ("status", "operation", "kind", "error_code")
    search_fields = ("=id", "kind", "target", "message_key", "object_id", "last_error")
    date_hierarchy = "created_at"
    actions = ["retry"]
    list_select_related = ("content_type",)
    show_full_result_count = False

    class Media:
        css = {"all": ["integrations/slack_preview.css"]}

    readonly_fields = [f.name for f in SlackMessage._meta.fields] + ["preview", "body_hidden"]
    fieldsets = (
        (None, {"fields": ("kind", "operation", "target", "status", "preview", "text")}),
        (
            _("Delivery"),
            {
                "fields": (
                    "attempts",
                    "ambiguous_attempts",
                    "next_attempt_at",
                    "sending_started_at",
                    "error_code",
                    "last_error",
                    "channel_id",
                    "ts",
                    "thread_ts",
                    "sent_at",
                )
            },
        ),
        (
            _("Record"),
            {"fields": ("content_type", "object_id", "message_key", "dedupe_key", "state", "blocks", "created_at")},
        ),
    )

    def get_fieldsets(self, request, obj=None):
        """A direct message the viewer may not read keeps its delivery facts but not its content."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or BodyReader(request.user).can_read(obj):
            return fieldsets
        hidden = []
        for name, options in fieldsets:
            fields = [field for field in options["fields"] if field not in _BODY_FIELDS]
            if name is None:
                fields.append("body_hidden")
            hidden.append((name, {**options, "fields": tuple(fields)}))
        return hidden

    @admin.display(description=_("preview"))
    def preview(self, obj):
        return render_blocks(obj.blocks, obj.text)

    @admin.display(description=_("content"))
    def body_hidden(self, obj):
        return _("Direct message: only its recipient can read it here.")

    @admin.action(description=_("Retry the selected messages"))
    def retry(self, request, queryset):
        try:
            count = retry_messages(queryset)
        except SlackNotConfigured as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.message_user(
            request,
            ngettext("%(count)d message queued again.", "%(count)d messages queued again.", count) % {"count": count},
            messages.SUCCESS,
        )

    def has_add_permission(self, request):
        return False  # rows are written by enqueue(), never by hand

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(MessageRef)
class MessageRefAdmin(admin.ModelAdmin):
    list_display = ("message_key", "target", "channel_id", "ts", "updated_at")
    search_fields = ("message_key", "target", "channel_id", "object_id")
    readonly_fields = ("content_type", "object_id", "message_key", "target", "channel_id", "ts")

    def has_add_permission(self, request):
        return False
