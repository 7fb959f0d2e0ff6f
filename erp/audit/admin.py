from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .actor import Actor
from .models import AuditEvent, Source
from .visibility import visible_audit_events


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadableEventMixin:
    """Action codes in words and changes as "field: before → after" lines, not JSON."""

    @admin.display(description=_("action"))
    def action_display(self, event):
        return event.action_label

    @admin.display(description=_("changes"))
    def changes_display(self, event):
        return format_html_join(mark_safe("<br>"), "{}: {} → {}", event.readable_changes) or "—"


class AuditTrailInline(ReadableEventMixin, ReadOnlyAdminMixin, GenericTabularInline):
    """Add to any ModelAdmin's inlines to show the record's audit history on its page."""

    model = AuditEvent
    ct_field = "content_type"
    ct_fk_field = "object_id"
    fields = ("created_at", "action_display", "actor_label", "source", "changes_display", "context")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("-created_at",)
    verbose_name_plural = _("audit history")


@admin.register(AuditEvent)
class AuditEventAdmin(ReadableEventMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "object_repr", "content_type", "action_display", "actor_label", "source")
    list_filter = ("source", "content_type", "action")
    search_fields = ("object_repr", "actor_label", "action")
    date_hierarchy = "created_at"
    list_select_related = ("content_type",)

    # Viewing needs audit.view_auditevent (ModelAdmin's default check), and then only the
    # events on records the viewer may see (erp/audit/visibility.py, security review H2).
    def get_queryset(self, request):
        return visible_audit_events(request.user, super().get_queryset(request))

    def has_view_permission(self, request, obj=None):
        if not super().has_view_permission(request, obj):
            return False
        return obj is None or visible_audit_events(request.user).filter(pk=obj.pk).exists()


@dataclass(frozen=True)
class AdminWrites:
    """The services an admin page writes one kind of record through.

    ``save(<record>=obj, by=actor, **many_to_many)`` and ``delete(<record>=obj, by=actor)``,
    where ``record`` is the services' keyword for the record (``policy``, ``rule`` …).
    """

    save: Callable
    delete: Callable
    record: str

    def save_record(self, obj, by, **many_to_many):
        return self.save(**{self.record: obj}, by=by, **many_to_many)

    def delete_record(self, obj, by):
        return self.delete(**{self.record: obj}, by=by)


class ServiceWritesAdmin(admin.ModelAdmin):
    """A ModelAdmin whose every write goes through the app's services (DESIGN.md §3.1),
    so each is audited with the admin user as actor and source "admin".

    Covers every way the admin writes: the change form (``save_model``, with the
    many-to-many fields handed to the save service so their change is in the same audit
    event), ``list_editable`` changelist saves (Django calls ``save_model`` for each
    changed row), inline rows (``save_formset``: each inline declares its own
    ``writes``), the delete page (``delete_model``) and the "delete selected" action
    (``delete_queryset``). Set ``writes`` to an ``AdminWrites``.
    """

    writes: AdminWrites

    def admin_actor(self, request) -> Actor:
        return Actor.for_request(request, source=Source.ADMIN)

    def save_model(self, request, obj, form, change):
        many_to_many = {
            field.name: form.cleaned_data[field.name]
            for field in obj._meta.many_to_many
            if field.name in form.cleaned_data
        }
        self.writes.save_record(obj, self.admin_actor(request), **many_to_many)

    def save_related(self, request, form, formsets, change):
        # No form.save_m2m(): the save service has set the many-to-many fields already.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)  # validated rows, nothing written yet
        if not (instances or formset.deleted_objects):
            return  # e.g. the read-only audit trail inline
        writes = next(
            (getattr(inline, "writes", None) for inline in self.inlines if inline.model is formset.model), None
        )
        if writes is None:
            raise ImproperlyConfigured(f"{type(self).__name__}: the {formset.model.__name__} inline declares no writes")
        by = self.admin_actor(request)
        # Deletions first: a row removed and re-added in one submit must not clash on a unique key.
        for obj in formset.deleted_objects:
            writes.delete_record(obj, by)
        for obj in instances:
            writes.save_record(obj, by)

    def delete_model(self, request, obj):
        self.writes.delete_record(obj, self.admin_actor(request))

    def delete_queryset(self, request, queryset):
        by = self.admin_actor(request)
        with transaction.atomic():  # all selected rows, or none
            for obj in queryset:
                self.writes.delete_record(obj, by)
