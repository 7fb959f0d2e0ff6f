"""Every write to tickets goes through these services (DESIGN.md §3.1).

Each takes keyword arguments and ``by`` (an erp.audit.actor.Actor or a User), runs in one
transaction holding the ticket's row lock, checks permissions (PermissionDenied), validates
(ValidationError / DomainError with translated messages), records an audit event and sends
the domain signal from tickets.signals inside the transaction.
"""

from .assignment import round_robin_pick, ticket_assign
from .attachments import ALLOWED_EXTENSIONS, max_attachment_bytes, validate_attachment, validate_attachments
from .comments import ticket_comment
from .config import (
    category_delete,
    category_save,
    group_settings_delete,
    group_settings_save,
    priority_matrix_delete,
    priority_matrix_save,
    sla_policy_delete,
    sla_policy_save,
)
from .escalation import escalation_group_for, ticket_escalate
from .numbering import allocate_number, priority_for
from .ratings import NotRatable, ticket_rate
from .sla import check_ticket_sla, sla_sweep
from .tickets import EDITABLE_FIELDS, normalize_tags, ticket_add_attachments, ticket_create, ticket_update
from .workflow import (
    SETTABLE_STATUSES,
    TRANSITIONS,
    InvalidTransition,
    UseDedicatedAction,
    allowed_next_statuses,
    check_plain_transition,
    plain_next_statuses,
    quick_next_statuses,
    ticket_change_status,
    ticket_close,
    ticket_reopen,
    ticket_resolve,
)

__all__ = [
    "ALLOWED_EXTENSIONS",
    "EDITABLE_FIELDS",
    "SETTABLE_STATUSES",
    "TRANSITIONS",
    "InvalidTransition",
    "NotRatable",
    "UseDedicatedAction",
    "allocate_number",
    "allowed_next_statuses",
    "category_delete",
    "category_save",
    "check_plain_transition",
    "check_ticket_sla",
    "escalation_group_for",
    "group_settings_delete",
    "group_settings_save",
    "max_attachment_bytes",
    "normalize_tags",
    "plain_next_statuses",
    "quick_next_statuses",
    "priority_for",
    "priority_matrix_delete",
    "priority_matrix_save",
    "round_robin_pick",
    "sla_policy_delete",
    "sla_policy_save",
    "sla_sweep",
    "ticket_add_attachments",
    "ticket_assign",
    "ticket_change_status",
    "ticket_close",
    "ticket_comment",
    "ticket_create",
    "ticket_escalate",
    "ticket_rate",
    "ticket_reopen",
    "ticket_resolve",
    "ticket_update",
    "validate_attachment",
    "validate_attachments",
]
