"""Escalation: raise the level, move to the escalation group, record why."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from erp.audit.services import audit_record

from .. import signals
from ..models import GroupSettings, Ticket
from ..selectors import can_escalate
from ._common import actor_of, lock_ticket, require
from .assignment import assign_locked, round_robin_pick

MAX_ESCALATION_LEVEL = 5


def escalation_group_for(ticket: Ticket):
    """Where an escalation moves the ticket: the category's escalation group first, then
    the current group's configured escalation group; None keeps the group."""
    if ticket.category_id and ticket.category.escalation_group_id:
        return ticket.category.escalation_group
    if ticket.group_id:
        settings_row = GroupSettings.objects.filter(group_id=ticket.group_id).select_related("escalation_group").first()
        if settings_row and settings_row.escalation_group_id:
            return settings_row.escalation_group
    return None


@transaction.atomic
def ticket_escalate(*, ticket, reason: str, by) -> Ticket:
    """Escalate one level (reason required).

    Side effects: escalation_level + 1; when an escalation group is configured (category,
    then group settings) and differs, the ticket moves there and is unassigned (or
    round-robin assigned if that group auto-assigns); records "escalated" with old → new and
    the reason; sends ticket_escalated (and ticket_assigned when the assignee changed).
    """
    actor = actor_of(by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the ticket is escalated.")})
    ticket = lock_ticket(ticket)
    if actor.user is not None:
        require(can_escalate(actor.user, ticket), _("You cannot escalate this ticket."))
    if not ticket.is_active:
        raise ValidationError(_("Only open tickets can be escalated."))
    if ticket.escalation_level >= MAX_ESCALATION_LEVEL:
        raise ValidationError(_("This ticket is already at the highest escalation level."))

    old_level, old_group = ticket.escalation_level, ticket.group
    new_group = escalation_group_for(ticket) or old_group
    ticket.escalation_level = old_level + 1
    ticket.group = new_group
    ticket.save(update_fields=["escalation_level", "group", "updated_at"])
    if actor.user is not None:
        # The escalating agent may lose their handler rights with the group move; they keep
        # read access to follow what they handed on.
        ticket.watchers.add(actor.user)
    changes = {"escalation_level": [old_level, ticket.escalation_level]}
    moved = (old_group.pk if old_group else None) != (new_group.pk if new_group else None)
    if moved:
        changes["group"] = [str(old_group) if old_group else None, str(new_group) if new_group else None]
    audit_record(ticket, "escalated", by=actor, changes=changes, reason=reason)
    signals.ticket_escalated.send(
        sender=Ticket,
        ticket=ticket,
        by=actor,
        old_level=old_level,
        new_level=ticket.escalation_level,
        old_group=old_group,
        new_group=new_group,
        reason=reason,
    )
    if moved and new_group is not None:
        auto = GroupSettings.objects.filter(group=new_group, auto_assign=True).exists()
        new_assignee = round_robin_pick(new_group) if auto else None
        if ticket.assignee_id or new_assignee:
            assign_locked(ticket, new_assignee, actor, auto=auto)
    return ticket
