"""Shared pieces of the attendance admin."""

from django.core.exceptions import ValidationError

from erp.audit.actor import Actor
from erp.audit.admin import AuditTrailInline
from erp.audit.models import Source


def admin_actor(request) -> Actor:
    return Actor(user=request.user, source=Source.ADMIN)


def error_text(exc) -> str:
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


class AuditOnChange:
    """Show the audit trail on existing records only (an add form has no history)."""

    inlines = [AuditTrailInline]

    def get_inline_instances(self, request, obj=None):
        return super().get_inline_instances(request, obj) if obj is not None else []


class ReadOnlyEvidence:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
