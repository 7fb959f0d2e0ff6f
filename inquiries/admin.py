"""Admin for inquiries: sites, answer templates and routing rules through audited services;
inquiries themselves are read here and changed only through the services' actions."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from erp.audit.actor import Actor
from erp.audit.admin import AdminWrites, AuditTrailInline, ServiceWritesAdmin
from erp.audit.models import Source
from erp.core.errors import error_text

from . import services
from .models import Answer, AnswerTemplate, Inquiry, Note, RoutingRule, Site, Status


@admin.register(Site)
class SiteAdmin(ServiceWritesAdmin):
    writes = AdminWrites(services.site_save, services.site_delete, record="site")
    list_display = ("name", "key", "language", "require_api_key", "is_active")
    list_filter = ("is_active", "require_api_key")
    search_fields = ("name", "key")
    inlines = [AuditTrailInline]
    actions = ["issue_api_key"]

    @admin.action(description=_("Issue a new API key (shown once)"))
    def issue_api_key(self, request, queryset):
        by = Actor.for_request(request, source=Source.ADMIN)
        for site in queryset:
            key = services.site_issue_api_key(site=site, by=by)
            messages.warning(
                request,
                _("API key of %(site)s: %(key)s (copy it now; it is not shown again)")
                % {"site": site.name, "key": key},
            )


@admin.register(AnswerTemplate)
class AnswerTemplateAdmin(ServiceWritesAdmin):
    writes = AdminWrites(services.template_save, services.template_delete, record="template")
    list_display = ("name", "category", "is_active")
    list_filter = ("is_active", "category")
    search_fields = ("name", "subject", "body")
    inlines = [AuditTrailInline]


@admin.register(RoutingRule)
class RoutingRuleAdmin(ServiceWritesAdmin):
    writes = AdminWrites(services.rule_save, services.rule_delete, record="rule")
    list_display = ("name", "order", "channel", "time_window", "is_active")
    list_editable = ("order", "is_active")
    inlines = [AuditTrailInline]


class NoteInline(admin.TabularInline):
    model = Note
    fields = ("created_at", "author", "body")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class AnswerInline(NoteInline):
    model = Answer
    fields = ("sent_at", "sent_by", "to_email", "subject", "status", "error")
    readonly_fields = fields


@admin.register(Inquiry)
class InquiryAdmin(admin.ModelAdmin):
    list_display = ("__str__", "customer_name", "company", "status", "category", "source", "received_at")
    list_filter = ("status", "category", "source", "shared_with_marketing", "site")
    search_fields = ("customer_name", "company", "email", "subject")
    date_hierarchy = "received_at"
    list_select_related = ("assignee",)
    inlines = [NoteInline, AnswerInline, AuditTrailInline]
    actions = ["release", "mark_spam", "share"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Inquiry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # inquiries are kept; spam is quarantined, not deleted

    def _each(self, request, queryset, write):
        by = Actor.for_request(request, source=Source.ADMIN)
        for inquiry in queryset:
            try:
                write(inquiry, by)
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, f"{inquiry.number}: {error_text(exc)}")

    @admin.action(description=_("Release from quarantine"))
    def release(self, request, queryset):
        self._each(
            request, queryset.filter(status=Status.SPAM), lambda i, by: services.inquiry_release(inquiry=i, by=by)
        )

    @admin.action(description=_("Mark as spam"))
    def mark_spam(self, request, queryset):
        self._each(request, queryset, lambda i, by: services.inquiry_mark_spam(inquiry=i, by=by))

    @admin.action(description=_("Share with marketing"))
    def share(self, request, queryset):
        self._each(request, queryset, lambda i, by: services.inquiry_share(inquiry=i, by=by))
