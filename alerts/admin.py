"""Admin for alert sources and their secrets; groups and items read-only.

Every source write goes through alerts.services (audited; secrets never enter the trail).
The secret field is write-only: the form never shows the stored value, and leaving it empty
keeps it. The webhook URL (with its token) is shown to the admin to give to the sender.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from erp.audit.actor import Actor
from erp.audit.admin import AdminWrites, AuditTrailInline, ReadOnlyAdminMixin, ServiceWritesAdmin
from erp.audit.models import Source as AuditSource

from . import services
from .models import AlertGroup, Item, SendState, Source, TicketMail
from .selectors import can_manage_sources
from .services.reply_mail import reply_mail_send_again

# Everything an admin edits; the URL token is issued by the "new webhook URL" action only.
EDITABLE_FIELDS = (
    "name",
    "kind",
    "owner_team",
    "is_active",
    "slack_channel",
    "critical_channel",
    "page_on_call_after_hours",
    "shape",
    "auth",
    "username",
    "secret",
    "hmac_header",
    "hmac_timestamp_header",
    "address",
    "allowed_senders",
    "helpdesk",
    "imap_host",
    "imap_port",
    "imap_security",
    "imap_folder",
    "url",
    "preset",
    "keywords",
    "pattern",
    "security_only",
    "lts_only",
    "major_only",
    "delivery",
    "poll_minutes",
)


class SourceForm(forms.ModelForm):
    secret = forms.CharField(
        label=_("secret"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Basic password, bearer token, HMAC secret or IMAP password. Leave empty to keep the current one."),
    )

    url = forms.URLField(label=_("feed URL"), max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = Source
        fields = EDITABLE_FIELDS

    def clean_secret(self):
        given = self.cleaned_data.get("secret") or ""
        return given or (self.instance.secret if self.instance.pk else "")


@admin.register(Source)
class SourceAdmin(ServiceWritesAdmin):
    form = SourceForm
    writes = AdminWrites(services.source_save, services.source_delete, record="source")
    list_display = ("name", "kind", "owner_team", "is_active", "last_fetched_at", "failures", "last_error_short")
    list_filter = ("kind", "is_active", "owner_team")
    search_fields = ("name", "address", "url")
    autocomplete_fields = ("owner_team",)
    readonly_fields = (
        "webhook_url",
        "last_fetched_at",
        "last_status",
        "last_error",
        "failures",
        "next_fetch_at",
        "disabled_reason",
        "imap_uidvalidity",
        "imap_last_uid",
    )
    actions = ["rotate_token"]
    inlines = [AuditTrailInline]
    fieldsets = (
        (None, {"fields": ("name", "kind", "owner_team", "is_active")}),
        (_("Slack routing"), {"fields": ("slack_channel", "critical_channel", "page_on_call_after_hours")}),
        (
            _("Webhook endpoint"),
            {"fields": ("webhook_url", "shape", "auth", "hmac_header", "hmac_timestamp_header")},
        ),
        (
            _("Credentials"),
            {
                "fields": ("username", "secret"),
                "description": _("The webhook's Basic user name and secret, or the IMAP login."),
            },
        ),
        (_("Mailbox"), {"fields": ("address", "allowed_senders", "helpdesk")}),
        (
            _("IMAP polling"),
            {
                "fields": ("imap_host", "imap_port", "imap_security", "imap_folder"),
                "description": _(
                    "Fill in the server to poll this mailbox over IMAP with the credentials above, every "
                    '"poll every (minutes)" below. Empty: mail arrives at the SMTP receiver.'
                ),
            },
        ),
        (
            _("Release feed"),
            {
                "fields": (
                    "url",
                    "preset",
                    "keywords",
                    "pattern",
                    "security_only",
                    "lts_only",
                    "major_only",
                    "delivery",
                    "poll_minutes",
                )
            },
        ),
        (
            _("Health"),
            {
                "fields": (
                    "last_fetched_at",
                    "last_status",
                    "last_error",
                    "failures",
                    "next_fetch_at",
                    "disabled_reason",
                    "imap_uidvalidity",
                    "imap_last_uid",
                )
            },
        ),
    )

    @admin.display(description=_("last error"))
    def last_error_short(self, source):
        return (source.last_error[:80] + "…") if len(source.last_error) > 80 else source.last_error

    @admin.display(description=_("webhook URL"))
    def webhook_url(self, source):
        if not source.pk or source.kind != "webhook":
            return "—"
        return settings.PORTAL_BASE_URL + reverse("alerts-webhook", args=[source.token])

    @admin.action(description=_("Issue a new webhook URL (the old one stops working)"))
    def rotate_token(self, request, queryset):
        for source in queryset:
            services.source_rotate_token(source=source, by=self.admin_actor(request))
        messages.success(request, _("New webhook URLs were issued."))

    # Alert module admins (company admins, holders of alerts.manage_sources) manage sources.
    def has_module_permission(self, request):
        return can_manage_sources(request.user)

    def has_view_permission(self, request, obj=None):
        return can_manage_sources(request.user)

    def has_change_permission(self, request, obj=None):
        return can_manage_sources(request.user)

    def has_add_permission(self, request):
        return can_manage_sources(request.user)

    def has_delete_permission(self, request, obj=None):
        return can_manage_sources(request.user)


@admin.register(AlertGroup)
class AlertGroupAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("title", "source", "state", "severity", "count", "last_seen", "ticket")
    list_filter = ("state", "severity", "source")
    search_fields = ("title", "key")
    inlines = [AuditTrailInline]


@admin.register(Item)
class ItemAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("title", "source", "kind", "status", "received_at", "error")
    list_filter = ("kind", "source")
    search_fields = ("title", "external_id")
    date_hierarchy = "received_at"


@admin.register(TicketMail)
class TicketMailAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Helpdesk mails; an outgoing reply shows how sending went, and can be sent again."""

    list_display = ("message_id", "ticket", "direction", "address", "send_state", "attempts", "next_attempt_at")
    list_filter = ("direction", "send_state")
    search_fields = ("message_id", "address", "subject")
    readonly_fields = ("last_error",)
    actions = ["send_again"]
    inlines = [AuditTrailInline]

    @admin.action(description=_("Send the selected reply mails again"))
    def send_again(self, request, queryset):
        count = reply_mail_send_again(
            mails=list(queryset.exclude(send_state=SendState.SENT)),
            by=Actor.for_request(request, source=AuditSource.ADMIN),
        )
        text = ngettext("%(count)d reply mail will be sent again.", "%(count)d reply mails will be sent again.", count)
        messages.success(request, text % {"count": count})

    def has_module_permission(self, request):
        return can_manage_sources(request.user)

    def has_view_permission(self, request, obj=None):
        return can_manage_sources(request.user)
