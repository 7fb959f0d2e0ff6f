"""Assigning tickets, including round-robin auto-assignment within a group."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from erp.audit.actor import Actor
from erp.audit.services import audit_record
from erp.people.models import Department, Role
from erp.people.roles import is_agent

from .. import signals
from ..availability import is_available
from ..models import Status, Ticket
from ..selectors import can_assign
from ._common import actor_of, lock_ticket, require, user_label


def validate_assignee(user) -> None:
    if user is None or not user.is_active:
        raise ValidationError({"assignee": _("The assignee's account is inactive.")})
    if not is_agent(user):
        raise ValidationError({"assignee": _("Tickets can only be assigned to agents.")})


def round_robin_pick(group: Department, now=None):
    """The group's active agent who was assigned a ticket longest ago (never-assigned first),
    skipping people availability checkers report as not working (see tickets.availability).

    Locks the group's Department row until the caller's transaction ends, so two tickets
    created at the same moment do not both go to the same agent. Returns None if nobody fits.
    """
    now = now or timezone.now()
    Department.objects.select_for_update().filter(pk=group.pk).first()
    candidates = (
        get_user_model()
        .objects.filter(is_active=True, employee__department=group, employee__role=Role.AGENT)
        .select_related("employee")
        .annotate(last_assigned=Max("tickets_assigned__assigned_at"))
        .order_by(F("last_assigned").asc(nulls_first=True), "pk")
    )
    for user in candidates:
        if is_available(user, now):
            return user
    return None


def assign_locked(ticket: Ticket, assignee, actor: Actor, *, auto: bool) -> Ticket:
    """Assign a ticket whose row the caller already locked; no permission check."""
    old = ticket.assignee
    if (old.pk if old else None) == (assignee.pk if assignee else None):
        return ticket
    ticket.assignee = assignee
    ticket.assigned_at = timezone.now() if assignee else None
    ticket.save(update_fields=["assignee", "assigned_at", "updated_at"])
    audit_record(
        ticket,
        "assigned",
        by=actor,
        changes={"assignee": [user_label(old), user_label(assignee)]},
        auto=auto,
    )
    signals.ticket_assigned.send(
        sender=Ticket, ticket=ticket, by=actor, old_assignee=old, new_assignee=assignee, auto=auto
    )
    return ticket


@transaction.atomic
def ticket_assign(*, ticket, assignee=None, auto: bool = False, by) -> Ticket:
    """Assign ``assignee`` (a User; None unassigns), or with ``auto=True`` pick one by
    round-robin in the ticket's group.

    Side effects: records "assigned" (old → new) and sends ticket_assigned, unless the
    assignee does not change (idempotent). Raises ValidationError for a non-agent assignee
    or when round-robin finds nobody, PermissionDenied without can_assign.
    """
    actor = actor_of(by)
    ticket = lock_ticket(ticket)
    if actor.user is not None:
        require(can_assign(actor.user, ticket), _("You cannot assign this ticket."))
    if ticket.status == Status.CLOSED:
        raise ValidationError(_("A closed ticket cannot be reassigned."))
    if auto:
        if ticket.group is None:
            raise ValidationError({"assignee": _("Choose a group before auto-assigning.")})
        assignee = round_robin_pick(ticket.group)
        if assignee is None:
            raise ValidationError({"assignee": _("Nobody in %(group)s is available today.") % {"group": ticket.group}})
    elif assignee is not None:
        validate_assignee(assignee)
    return assign_locked(ticket, assignee, actor, auto=auto)
