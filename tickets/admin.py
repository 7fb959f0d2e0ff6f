"""Django admin for tickets: every change goes through the services with Actor(source="admin")."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import EmptyResultSet, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from erp.audit.actor import Actor
from erp.audit.admin import AdminWrites, AuditTrailInline, ServiceWritesAdmin
from erp.audit.models import Source
from erp.core.errors import DomainError, error_text
from erp.people.names import display_name
from erp.people.selectors import agent_users

from . import services
from .models import (
    Attachment,
    Category,
    Comment,
    GroupSettings,
    PriorityMatrix,
    SatisfactionRating,
    SLAPolicy,
    Status,
    Ticket,
    TicketSettings,
)
from .oncall import admin as oncall_admin  # noqa: F401  (registers the on-call roster admin)
from .selectors import can_edit, search_q, visible_tickets
from .services import config


class LargeTablePaginator(Paginator):
    """The admin counts the rows it pages through; for the unfiltered ticket table on
    PostgreSQL the planner's estimate (pg_class.reltuples, kept by autovacuum/ANALYZE) is
    used instead of COUNT(*) over hundreds of thousands of rows."""

    ESTIMATE_ABOVE = 10_000

    @cached_property
    def count(self):
        queryset = self.object_list
        if connection.vendor == "postgresql" and not queryset.query.where:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [Ticket._meta.db_table]
                )
                estimate = cursor.fetchone()[0]
            if estimate > self.ESTIMATE_ABOVE:
                return estimate
        return super().count


class TicketAdminForm(forms.ModelForm):
    tags = forms.CharField(label=_("Tags"), required=False, help_text=_("Separate with commas."))

    class Meta:
        model = Ticket
        fields = [
            "ticket_type", "title", "description", "category", "tags", "sensitive", "status", "impact", "urgency",
            "requester", "assignee", "group", "source",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["tags"] = ", ".join(self.instance.tag_list)

    def clean(self):
        cleaned = super().clean()
        # Refuse what the services would refuse, as form errors instead of a 500.
        if self.instance.pk and "status" in self.changed_data and cleaned.get("status"):
            # The admin saves through ticket_change_status: plain moves only (resolve and
            # reopen need their text, on the ticket page or the API).
            current = Ticket.objects.only("number", "status").get(pk=self.instance.pk)
            try:
                services.check_plain_transition(current, cleaned["status"])
            except ValidationError as error:
                self.add_error("status", error)
            except DomainError as error:
                self.add_error("status", ValidationError(str(error), code=error.code))
        assignee = cleaned.get("assignee")
        if assignee is not None and "assignee" in self.changed_data:
            try:
                services.assignment.validate_assignee(assignee)
            except ValidationError as error:
                self.add_error("assignee", error.messages)
        return cleaned


SETTABLE_CHOICES = [(value, label) for value, label in Status.choices if value in services.SETTABLE_STATUSES]


class TicketActionForm(helpers.ActionForm):
    assignee = forms.ModelChoiceField(label=_("Assignee"), queryset=agent_users(), required=False)
    # Resolving needs a resolution per ticket, so the bulk action offers plain statuses only.
    status = forms.ChoiceField(label=_("Status"), choices=[("", "---------"), *SETTABLE_CHOICES], required=False)


class CommentInline(admin.TabularInline):
    model = Comment
    fields = ("created_at", "author", "internal", "source", "body")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False  # comments are added on the ticket page (services, signals, SLA first response)


class AttachmentInline(admin.TabularInline):
    model = Attachment
    fields = ("original_name", "size", "comment", "uploaded_by", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class RatingInline(admin.TabularInline):
    """Read-only: ratings are given by the requester (tickets.services.ticket_rate)."""

    model = SatisfactionRating
    fields = ("score", "comment", "rater", "updated_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class CheckedLookupChangeList(ChangeList):
    """Hand-typed lookups (``?created_at__gte=0001-01-01``) only fail when the page's query
    compiles — year 1 overflows converting to UTC — which would be a 500. Compile it here so
    the admin answers as for any other bad lookup (its "?e=1" page)."""

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        try:
            queryset.query.sql_with_params()
        except EmptyResultSet:
            pass
        except (OverflowError, ValueError) as error:
            raise IncorrectLookupParameters(error) from error
        return queryset


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    form = TicketAdminForm
    action_form = TicketActionForm
    list_display = (
        "number", "title", "status", "priority", "group", "assignee_name", "requester_name", "sla_state",
        "sensitive", "created_at",
    )  # fmt: skip
    list_display_links = ("number", "title")
    list_filter = ("status", "priority", "ticket_type", "sla_state", "group", "sensitive", "source", "category")
    search_fields = ("number", "title")
    search_help_text = _("Ticket number, or words in the title or description (Korean substrings work).")
    list_select_related = ("group", "assignee__employee", "requester__employee")
    autocomplete_fields = ("requester", "assignee", "group", "category")
    # No date_hierarchy: it runs SELECT DISTINCT date_trunc(...) over the whole table.
    paginator = LargeTablePaginator
    show_full_result_count = False  # no COUNT(*) over the whole table on every page
    inlines = [CommentInline, AttachmentInline, RatingInline, AuditTrailInline]
    actions = ["assign_selected", "change_status_selected", "close_selected"]
    readonly_fields = (
        "number", "priority", "escalation_level", "sla_policy", "sla_state", "first_response_due", "resolution_due",
        "sla_paused_at", "sla_paused_minutes", "first_response_breached", "resolution_breached",
        "first_responded_at", "assigned_at", "resolved_at", "closed_at", "created_at", "updated_at", "resolution",
    )  # fmt: skip
    fieldsets = (
        (None, {"fields": ("number", "ticket_type", "title", "description", "category", "tags", "sensitive")}),
        (_("Handling"), {"fields": ("status", "impact", "urgency", "priority", "requester", "assignee", "group",
                                    "source", "escalation_level", "resolution")}),
        (_("SLA"), {"fields": ("sla_policy", "sla_state", "first_response_due", "resolution_due", "sla_paused_at",
                               "sla_paused_minutes", "first_response_breached", "resolution_breached",
                               "first_responded_at", "assigned_at", "resolved_at", "closed_at", "created_at",
                               "updated_at")}),
    )  # fmt: skip

    def get_queryset(self, request):
        return visible_tickets(request.user, super().get_queryset(request))

    def get_changelist(self, request, **kwargs):
        return CheckedLookupChangeList

    def get_search_results(self, request, queryset, search_term):
        """The same Korean-aware search as the list page and the API (title, description,
        readable comments, ticket number)."""
        term = search_term.strip()
        if not term:
            return queryset, False
        return queryset.filter(search_q(request.user, term)), False

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        return (*self.readonly_fields, "ticket_type", "requester", "source")

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        return False  # tickets are closed, never deleted: the audit trail must stay whole

    @admin.display(description=_("assignee"), ordering="assignee__employee__display_name")
    def assignee_name(self, ticket):
        return display_name(ticket.assignee) or "—"

    @admin.display(description=_("requester"), ordering="requester__employee__display_name")
    def requester_name(self, ticket):
        return display_name(ticket.requester)

    def save_model(self, request, obj, form, change):
        """Route the form's changes to the services instead of saving the instance."""
        by = Actor.for_request(request, source=Source.ADMIN)
        data = form.cleaned_data
        if not change:
            ticket = services.ticket_create(
                title=data["title"],
                description=data.get("description", ""),
                ticket_type=data["ticket_type"],
                category=data.get("category"),
                impact=data["impact"],
                urgency=data["urgency"],
                group=data.get("group"),
                sensitive=data.get("sensitive", False),
                tags=data.get("tags", ""),
                requester=data.get("requester") or request.user,
                assignee=data.get("assignee"),
                source=data.get("source") or None,
                by=by,
            )
            obj.pk = ticket.pk
            obj.refresh_from_db()
            return
        changed = set(form.changed_data)
        updates = {name: data[name] for name in services.EDITABLE_FIELDS if name in changed}
        if updates:
            services.ticket_update(ticket=obj.pk, by=by, **updates)
        if "assignee" in changed:
            services.ticket_assign(ticket=obj.pk, assignee=data["assignee"], by=by)
        if "status" in changed:
            services.ticket_change_status(ticket=obj.pk, status=data["status"], by=by)
        obj.refresh_from_db()

    def _bulk(self, request, queryset, perform, done_message):
        done, failures = 0, []
        for ticket in queryset:
            try:
                perform(ticket, Actor.for_request(request, source=Source.ADMIN))
                done += 1
            except (PermissionDenied, ValidationError, DomainError) as error:
                failures.append(f"{ticket.number}: " + (error_text(error) or _("permission denied")))
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)
        for failure in failures:
            self.message_user(request, failure, messages.ERROR)

    @admin.action(description=_("Assign selected tickets to the chosen agent"))
    def assign_selected(self, request, queryset):
        assignee = TicketActionForm(request.POST).fields["assignee"].clean(request.POST.get("assignee") or None)
        if assignee is None:
            self.message_user(request, _("Choose an assignee first."), messages.ERROR)
            return
        self._bulk(
            request,
            queryset,
            lambda t, by: services.ticket_assign(ticket=t, assignee=assignee, by=by),
            lambda n: ngettext("%(n)d ticket assigned.", "%(n)d tickets assigned.", n) % {"n": n},
        )

    @admin.action(description=_("Change the status of selected tickets"))
    def change_status_selected(self, request, queryset):
        new_status = request.POST.get("status")
        if new_status not in services.SETTABLE_STATUSES:
            self.message_user(request, _("Choose a status first."), messages.ERROR)
            return
        self._bulk(
            request,
            queryset,
            lambda t, by: services.ticket_change_status(ticket=t, status=new_status, by=by),
            lambda n: ngettext("%(n)d ticket updated.", "%(n)d tickets updated.", n) % {"n": n},
        )

    @admin.action(description=_("Close selected tickets"))
    def close_selected(self, request, queryset):
        self._bulk(
            request,
            queryset,
            lambda t, by: services.ticket_close(ticket=t, reason=_("Closed in bulk from the admin"), by=by),
            lambda n: ngettext("%(n)d ticket closed.", "%(n)d tickets closed.", n) % {"n": n},
        )


# Configuration: every write (form, list_editable, delete, "delete selected") goes through
# tickets.services.config and is audited; each page shows its record's history.


@admin.register(TicketSettings)
class TicketSettingsAdmin(ServiceWritesAdmin):
    """One row: who may raise a P1 (tickets/p1_policy.py) and where unrouted tickets go. Edits are audited."""

    writes = AdminWrites(config.ticket_settings_save, config.ticket_settings_delete, record="settings")
    list_display = ("__str__", "p1_policy", "intake_group", "updated_at")
    inlines = [AuditTrailInline]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not TicketSettings.objects.exists()


@admin.register(PriorityMatrix)
class PriorityMatrixAdmin(ServiceWritesAdmin):
    writes = AdminWrites(services.priority_matrix_save, services.priority_matrix_delete, record="cell")
    list_display = ("impact", "urgency", "priority")
    list_editable = ("priority",)
    list_filter = ("impact", "urgency")
    inlines = [AuditTrailInline]


@admin.register(SLAPolicy)
class SLAPolicyAdmin(ServiceWritesAdmin):
    writes = AdminWrites(services.sla_policy_save, services.sla_policy_delete, record="policy")
    list_display = (
        "priority",
        "first_response_minutes",
        "resolution_minutes",
        "calendar",
        "at_risk_percent",
        "is_active",
    )
    list_editable = ("first_response_minutes", "resolution_minutes", "calendar", "at_risk_percent", "is_active")
    inlines = [AuditTrailInline]


@admin.register(Category)
class CategoryAdmin(ServiceWritesAdmin):
    writes = AdminWrites(services.category_save, services.category_delete, record="category")
    list_display = ("name", "default_group", "escalation_group", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name",)
    autocomplete_fields = ("default_group", "escalation_group")
    inlines = [AuditTrailInline]


@admin.register(GroupSettings)
class GroupSettingsAdmin(ServiceWritesAdmin):
    writes = AdminWrites(services.group_settings_save, services.group_settings_delete, record="group_settings")
    list_display = ("group", "escalation_group", "auto_assign")
    list_editable = ("escalation_group", "auto_assign")
    autocomplete_fields = ("group",)
    inlines = [AuditTrailInline]
