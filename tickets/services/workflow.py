"""Status changes: the transition table and the resolve / close / reopen shortcuts."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from erp.audit.services import audit_record
from erp.core.errors import DomainError

from .. import signals
from ..models import SLATarget, Status, Ticket
from ..selectors import can_change_status, can_close, can_reopen, can_resolve
from . import sla
from ._common import actor_of, lock_ticket, require

# from-status → statuses it may move to. Reopening (resolved/closed → open/in progress) is
# a transition like any other but has its own service with its own permission.
TRANSITIONS = {
    Status.OPEN: {Status.IN_PROGRESS, Status.PENDING, Status.RESOLVED, Status.CLOSED},
    Status.IN_PROGRESS: {Status.OPEN, Status.PENDING, Status.RESOLVED, Status.CLOSED},
    Status.PENDING: {Status.OPEN, Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED},
    Status.RESOLVED: {Status.OPEN, Status.IN_PROGRESS, Status.CLOSED},
    Status.CLOSED: {Status.OPEN},
}
MAX_RESOLUTION = 5000
# Statuses that stop the SLA clock: waiting on the requester, or done (a reopen resumes it).
CLOCK_STOPPED = {Status.PENDING, Status.RESOLVED, Status.CLOSED}


class InvalidTransition(DomainError):
    code = "invalid_transition"


# Statuses a ticket is "done" in; leaving them is a reopen.
DONE = {Status.RESOLVED, Status.CLOSED}
# What a status picker may offer at all: resolving needs a resolution (ticket_resolve).
SETTABLE_STATUSES = [s for s in Status.values if s != Status.RESOLVED]


class UseDedicatedAction(InvalidTransition):
    """The move is allowed, but only through its own service (which asks for the needed text)."""

    code = "use_dedicated_action"


def allowed_next_statuses(status: str) -> list[str]:
    """Every status reachable from ``status`` (including resolve and reopen)."""
    return [s for s in Status.values if s in TRANSITIONS.get(status, set())]


def _is_plain(old_status: str, new_status: str) -> bool:
    return new_status != Status.RESOLVED and not (old_status in DONE and new_status != Status.CLOSED)


def plain_next_statuses(status: str) -> list[str]:
    """The statuses ticket_change_status accepts from ``status``: resolving and reopening are
    left out because they need text (ticket_resolve / ticket_reopen). For status pickers."""
    return [s for s in allowed_next_statuses(status) if _is_plain(status, s)]


def quick_next_statuses(status: str) -> list[str]:
    """The plain moves a one-click status picker offers (ticket toolbar, list rows): closing is
    left out too, it has its own button by the ticket's resolution box."""
    return [s for s in plain_next_statuses(status) if s != Status.CLOSED]


def check_plain_transition(ticket: Ticket, new_status: str) -> None:
    """Raise ValidationError / InvalidTransition / UseDedicatedAction unless ticket_change_status
    may move ``ticket`` to ``new_status``. No side effects (forms call it to validate)."""
    _check_transition(ticket, new_status)
    if new_status == Status.RESOLVED:
        raise UseDedicatedAction(
            _("Resolving %(number)s needs a resolution for the requester: use Resolve and describe the fix.")
            % {"number": ticket.number}
        )
    if not _is_plain(ticket.status, new_status):
        raise UseDedicatedAction(
            _("Reopening %(number)s needs a reason: use Reopen and say why.") % {"number": ticket.number}
        )


def _check_transition(ticket: Ticket, new_status: str) -> None:
    if new_status not in Status.values:
        raise ValidationError({"status": _("“%(value)s” is not a valid status.") % {"value": new_status}})
    if new_status == ticket.status:
        raise InvalidTransition(
            _("%(number)s is already %(status)s.") % {"number": ticket.number, "status": Status(new_status).label}
        )
    if new_status not in TRANSITIONS[ticket.status]:
        raise InvalidTransition(
            _("%(number)s cannot go from %(old)s to %(new)s.")
            % {"number": ticket.number, "old": Status(ticket.status).label, "new": Status(new_status).label}
        )


def _transition(ticket: Ticket, new_status: str, actor, *, reason: str = "", resolution: str | None = None):
    """Apply a checked transition to a locked ticket: timestamps, SLA clock, audit, signals."""
    now = timezone.now()
    old_status = ticket.status
    late = []
    changes = {"status": [old_status, new_status]}
    ticket.status = new_status

    if new_status == Status.RESOLVED:
        ticket.resolved_at = now
        if resolution is not None:
            changes["resolution"] = [ticket.resolution, resolution]
            ticket.resolution = resolution
        if ticket.first_responded_at is None:
            # A resolution is the requester's first answer when nobody replied before.
            ticket.first_responded_at = now
            late.append(sla.record_breach_if_late(ticket, SLATarget.FIRST_RESPONSE, now))
        late.append(sla.record_breach_if_late(ticket, SLATarget.RESOLUTION, now))
    elif new_status == Status.CLOSED:
        ticket.closed_at = now
        if resolution and not ticket.resolution:
            # Closing straight away (no resolve step): the closing text is the resolution.
            changes["resolution"] = [ticket.resolution, resolution]
            ticket.resolution = resolution
    elif old_status in (Status.RESOLVED, Status.CLOSED):
        # Reopened: the resolution target is unmet again.
        ticket.resolved_at = None
        ticket.closed_at = None

    if new_status in CLOCK_STOPPED:
        sla.pause(ticket, now)
    else:
        sla.resume(ticket, now)
    sla.refresh_state(ticket, now)
    ticket.save()

    audit_record(ticket, "status_changed", by=actor, changes=changes, reason=reason)
    for event in filter(None, late):
        sla.send_breach(ticket, *event)
    signals.ticket_status_changed.send(
        sender=Ticket, ticket=ticket, by=actor, old_status=old_status, new_status=new_status, reason=reason
    )
    if new_status == Status.RESOLVED:
        signals.ticket_resolved.send(sender=Ticket, ticket=ticket, by=actor, resolution=ticket.resolution)
    elif new_status == Status.CLOSED:
        signals.ticket_closed.send(
            sender=Ticket,
            ticket=ticket,
            by=actor,
            reason=reason,
            resolution=ticket.resolution,
            resolved_before=old_status == Status.RESOLVED,
        )
    elif old_status in (Status.RESOLVED, Status.CLOSED):
        signals.ticket_reopened.send(sender=Ticket, ticket=ticket, by=actor, reason=reason)
    return ticket


@transaction.atomic
def ticket_change_status(*, ticket, status: str, reason: str = "", by) -> Ticket:
    """Move a ticket to ``status`` following TRANSITIONS, for plain moves only.

    Resolving (needs a resolution) and reopening a resolved/closed ticket (needs a reason)
    are refused with UseDedicatedAction naming ticket_resolve / ticket_reopen, so no path
    skips those rules. See plain_next_statuses for what status pickers may offer.

    Side effects: sets resolved_at / closed_at, pauses the SLA clock while pending or done
    and resumes it (shifting due moments) afterwards, records "status_changed" and sends
    ticket_status_changed (plus ticket_resolved / _closed / _reopened). Raises
    InvalidTransition (a DomainError with a translated message) for a refused move.
    """
    actor = actor_of(by)
    ticket = lock_ticket(ticket)
    if actor.user is not None:
        require(can_change_status(actor.user, ticket), _("You cannot change the status of this ticket."))
    check_plain_transition(ticket, status)
    return _transition(ticket, status, actor, reason=(reason or "").strip())


@transaction.atomic
def ticket_resolve(*, ticket, resolution: str, by) -> Ticket:
    """Resolve with a resolution text shown to the requester (required). See ticket_change_status."""
    actor = actor_of(by)
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError({"resolution": _("Describe how the ticket was resolved.")})
    ticket = lock_ticket(ticket)
    if actor.user is not None:
        require(can_resolve(actor.user, ticket), _("You cannot resolve this ticket."))
    _check_transition(ticket, Status.RESOLVED)
    return _transition(ticket, Status.RESOLVED, actor, resolution=resolution)


@transaction.atomic
def ticket_close(*, ticket, reason: str = "", resolution: str | None = None, by) -> Ticket:
    """Close a ticket (handlers, or its requester). See ticket_change_status.

    ``resolution`` (e.g. "/fs close INC-12 재부팅으로 해결") becomes the ticket's resolution
    when it has none yet — recorded in the same "status_changed" event (resolution old → new).
    A ticket resolved before keeps its resolution; the closing text is then kept as the
    close reason (when no reason was given) so nothing the person wrote is lost.
    """
    actor = actor_of(by)
    reason = (reason or "").strip()
    resolution = (resolution or "").strip()
    if len(resolution) > MAX_RESOLUTION:
        raise ValidationError(
            {"resolution": _("Keep the resolution under %(max)d characters.") % {"max": MAX_RESOLUTION}}
        )
    ticket = lock_ticket(ticket)
    if actor.user is not None:
        require(can_close(actor.user, ticket), _("You cannot close this ticket."))
    _check_transition(ticket, Status.CLOSED)
    if resolution and ticket.resolution and not reason:
        reason = resolution
    return _transition(ticket, Status.CLOSED, actor, reason=reason, resolution=resolution)


@transaction.atomic
def ticket_reopen(*, ticket, reason: str, by) -> Ticket:
    """Reopen a resolved or closed ticket (handlers, or its requester); a reason is required.

    It goes back to "in progress" when someone is assigned, else "open"; the resolution
    SLA clock resumes where it stopped.
    """
    actor = actor_of(by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the ticket is reopened.")})
    ticket = lock_ticket(ticket)
    if actor.user is not None:
        require(can_reopen(actor.user, ticket), _("You cannot reopen this ticket."))
    if ticket.status not in (Status.RESOLVED, Status.CLOSED):
        raise InvalidTransition(_("Only resolved or closed tickets can be reopened."))
    target = Status.IN_PROGRESS if ticket.assignee_id and ticket.status == Status.RESOLVED else Status.OPEN
    _check_transition(ticket, target)
    return _transition(ticket, target, actor, reason=reason)
