"""Writes to the ticket configuration: the priority matrix, SLA policies, categories and
group settings. They drive every SLA clock, priority and routing decision, so each change
is validated and audited (who, when, each field's old → new), whether it comes from the
admin or from code.

Each save takes the edited record (e.g. ``form.save(commit=False)``, or a new unsaved
instance) and diffs it against the stored row; each delete records every value the row
had. Existing tickets keep the targets and priorities they were given.
"""

from erp.audit.services import audited_delete, audited_save

from ..models import Category, GroupSettings, PriorityMatrix, SLAPolicy, TicketSettings


def priority_matrix_save(*, cell: PriorityMatrix, by) -> PriorityMatrix:
    """Create or change one impact × urgency → priority cell."""
    return audited_save(cell, by=by, validate=True)


def priority_matrix_delete(*, cell: PriorityMatrix, by) -> None:
    """Remove a cell: that impact × urgency falls back to the built-in default matrix."""
    audited_delete(cell, by=by)


def sla_policy_save(*, policy: SLAPolicy, by) -> SLAPolicy:
    """Create or change the SLA targets of one priority (new and re-prioritised tickets use them)."""
    return audited_save(policy, by=by, validate=True)


def sla_policy_delete(*, policy: SLAPolicy, by) -> None:
    audited_delete(policy, by=by)


def category_save(*, category: Category, by) -> Category:
    """Create or change a category (its default and escalation groups route new tickets)."""
    return audited_save(category, by=by, validate=True)


def category_delete(*, category: Category, by) -> None:
    """Delete a category; its tickets keep their data, with no category."""
    audited_delete(category, by=by)


def group_settings_save(*, group_settings: GroupSettings, by) -> GroupSettings:
    """Create or change a group's escalation target and round-robin switch."""
    return audited_save(group_settings, by=by, validate=True)


def group_settings_delete(*, group_settings: GroupSettings, by) -> None:
    audited_delete(group_settings, by=by)


def ticket_settings_save(*, settings: TicketSettings, by) -> TicketSettings:
    """The company's ticket rules (the P1 policy); old → new audited."""
    return audited_save(settings, by=by, validate=True)


def ticket_settings_delete(*, settings: TicketSettings, by) -> None:
    """Back to the defaults; audited."""
    audited_delete(settings, by=by)
