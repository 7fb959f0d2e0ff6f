"""Shared pieces of the attendance admin."""

from erp.audit.admin import AuditTrailInline


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
