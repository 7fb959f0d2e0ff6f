"""SLA clocks: due moments, pauses and the at-risk / breached flags of a ticket.

Model of the clock
- A policy (per priority) gives a first-response and a resolution target in minutes, on a
  business-hours clock (the company calendar: Korean public holidays, company days off,
  working hours) or a 24×7 clock.
- ``sla_paused_minutes`` accumulates clock minutes spent pending (or resolved, until a
  reopen). Due moments are always ``clock.add(created_at, target + paused)``, so a pause
  shifts every unmet due moment by exactly the clock time it lasted.
- ``*_warn_at`` is the moment ``at_risk_percent`` of the target has elapsed.
- ``*_at_risk`` / ``*_breached`` flags record that the signal for that target was sent; they
  are flipped once, under the ticket's row lock, so each signal goes out exactly once.
- ``sla_state`` is a stored summary for filters: none, on_track, at_risk, breached, paused, met.

Every function here mutates the ticket in memory; the calling service saves it inside its
transaction (so a row lock is already held).
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from erp.audit.actor import Actor
from erp.audit.services import audit_record
from erp.workcalendar.calendar import get_calendar

from .. import signals
from ..models import ACTIVE_STATUSES, SLACalendar, SLAPolicy, SLAState, SLATarget, Status, Ticket


class _BusinessClock:
    def __init__(self):
        self.calendar = get_calendar()

    def add(self, start: datetime, minutes: float) -> datetime:
        return self.calendar.add_business_minutes(start, minutes)

    def between(self, start: datetime, end: datetime) -> float:
        return self.calendar.business_minutes_between(start, end)


class _WallClock:
    def add(self, start: datetime, minutes: float) -> datetime:
        return start + timedelta(minutes=minutes)

    def between(self, start: datetime, end: datetime) -> float:
        return max((end - start).total_seconds() / 60, 0.0)


def clock_for(policy: SLAPolicy):
    return _WallClock() if policy.calendar == SLACalendar.ALWAYS else _BusinessClock()


def policy_for(priority: str) -> SLAPolicy | None:
    return SLAPolicy.objects.filter(priority=priority, is_active=True).first()


def _targets(ticket: Ticket):
    """(target, due field, warn field, at-risk flag, breached flag, met moment, target minutes)."""
    policy = ticket.sla_policy
    return (
        (
            SLATarget.FIRST_RESPONSE,
            "first_response_due",
            "first_response_warn_at",
            "first_response_at_risk",
            "first_response_breached",
            ticket.first_responded_at,
            policy.first_response_minutes if policy else None,
        ),
        (
            SLATarget.RESOLUTION,
            "resolution_due",
            "resolution_warn_at",
            "resolution_at_risk",
            "resolution_breached",
            ticket.resolved_at,
            policy.resolution_minutes if policy else None,
        ),
    )


def recompute_due(ticket: Ticket) -> None:
    """Due and warn moments of the unmet targets from created_at, targets and paused time."""
    policy = ticket.sla_policy
    if policy is None:
        ticket.first_response_due = ticket.first_response_warn_at = None
        ticket.resolution_due = ticket.resolution_warn_at = None
        return
    clock = clock_for(policy)
    start = ticket.created_at or timezone.now()
    paused = ticket.sla_paused_minutes
    for _target, due_field, warn_field, _risk, _breach, met_at, minutes in _targets(ticket):
        if met_at is not None and getattr(ticket, due_field) is not None:
            continue  # a met target keeps the due moment it was met against
        setattr(ticket, due_field, clock.add(start, minutes + paused))
        setattr(ticket, warn_field, clock.add(start, minutes * policy.at_risk_percent / 100 + paused))


def apply_policy(ticket: Ticket) -> None:
    """Attach the policy of the ticket's priority and recompute its due moments."""
    ticket.sla_policy = policy_for(ticket.priority)
    recompute_due(ticket)


def pause(ticket: Ticket, now: datetime) -> None:
    if ticket.sla_paused_at is None:
        ticket.sla_paused_at = now


def resume(ticket: Ticket, now: datetime) -> None:
    """Add the paused stretch (in clock minutes) and shift the unmet due moments."""
    if ticket.sla_paused_at is None:
        return
    if ticket.sla_policy is not None:
        ticket.sla_paused_minutes += clock_for(ticket.sla_policy).between(ticket.sla_paused_at, now)
    ticket.sla_paused_at = None
    recompute_due(ticket)


def refresh_state(ticket: Ticket, now: datetime | None = None) -> None:
    now = now or timezone.now()
    if ticket.sla_policy is None:
        ticket.sla_state = SLAState.NONE
    elif ticket.first_response_breached or ticket.resolution_breached:
        ticket.sla_state = SLAState.BREACHED
    elif ticket.status in (Status.RESOLVED, Status.CLOSED):
        ticket.sla_state = SLAState.MET
    elif ticket.sla_paused_at is not None:
        ticket.sla_state = SLAState.PAUSED
    elif any(
        met_at is None and getattr(ticket, warn) is not None and getattr(ticket, warn) <= now
        for _t, _due, warn, _r, _b, met_at, _m in _targets(ticket)
    ):
        ticket.sla_state = SLAState.AT_RISK
    else:
        ticket.sla_state = SLAState.ON_TRACK


def record_breach_if_late(ticket: Ticket, target: str, met_at: datetime) -> tuple[str, datetime] | None:
    """When a target is met after its due moment, flag the breach (once). Returns (target, due) to signal."""
    for name, due_field, _warn, _risk, breach_field, _met, _m in _targets(ticket):
        due = getattr(ticket, due_field)
        if name == target and due is not None and met_at > due and not getattr(ticket, breach_field):
            setattr(ticket, breach_field, True)
            return name, due
    return None


def send_breach(ticket: Ticket, target: str, due: datetime, by: Actor | None = None) -> None:
    """Audit and signal one breach. Call inside the transaction that flipped the flag."""
    by = by or Actor.system(job="check_sla")
    audit_record(ticket, "sla_breached", by=by, target=target, due=due)
    signals.ticket_sla_breached.send(sender=Ticket, ticket=ticket, by=by, target=target, due=due)


def _sweep_candidates(now: datetime):
    unmet_fr = Q(first_responded_at=None)
    unmet_res = Q(resolved_at=None)
    return Ticket.objects.filter(status__in=ACTIVE_STATUSES, sla_paused_at=None, sla_policy__isnull=False).filter(
        (unmet_fr & Q(first_response_due__lte=now, first_response_breached=False))
        | (unmet_res & Q(resolution_due__lte=now, resolution_breached=False))
        | (unmet_fr & Q(first_response_warn_at__lte=now, first_response_at_risk=False))
        | (unmet_res & Q(resolution_warn_at__lte=now, resolution_at_risk=False))
        # A state can also be stale after a resume moved due moments (flags already set).
        | (
            Q(sla_state=SLAState.ON_TRACK)
            & ((unmet_fr & Q(first_response_warn_at__lte=now)) | Q(resolution_warn_at__lte=now))
        )
    )


def check_ticket_sla(ticket_id: int, now: datetime | None = None) -> list[tuple[str, str]]:
    """Flag at-risk / breached targets of one ticket and send each signal once.

    Side effects: updates the ticket's SLA flags and state, writes audit events and sends
    ticket_sla_at_risk / ticket_sla_breached inside one transaction holding the row lock.
    Idempotent: a second call finds the flags set and sends nothing. Returns the events sent.
    """
    now = now or timezone.now()
    sent = []
    by = Actor.system(job="check_sla")
    with transaction.atomic():
        ticket = (
            Ticket.objects.select_for_update(of=("self",)).select_related("sla_policy").filter(pk=ticket_id).first()
        )
        if ticket is None or ticket.status not in ACTIVE_STATUSES or ticket.sla_paused_at or not ticket.sla_policy:
            return sent
        dirty = []
        for target, due_field, warn_field, risk_field, breach_field, met_at, _m in _targets(ticket):
            if met_at is not None:
                continue
            due, warn = getattr(ticket, due_field), getattr(ticket, warn_field)
            if due is not None and due <= now and not getattr(ticket, breach_field):
                setattr(ticket, breach_field, True)
                # Past due is past "at risk" too: never send a stale at-risk afterwards.
                setattr(ticket, risk_field, True)
                dirty += [breach_field, risk_field]
                sent.append(("breached", target, due))
            elif warn is not None and warn <= now and not getattr(ticket, risk_field):
                setattr(ticket, risk_field, True)
                dirty.append(risk_field)
                sent.append(("at_risk", target, due))
        old_state = ticket.sla_state
        refresh_state(ticket, now)
        if not dirty and old_state == ticket.sla_state:
            return sent
        Ticket.objects.filter(pk=ticket.pk).update(sla_state=ticket.sla_state, **{f: True for f in dirty})
        for kind, target, due in sent:
            if kind == "breached":
                send_breach(ticket, target, due, by)
            else:
                audit_record(ticket, "sla_at_risk", by=by, target=target, due=due)
                signals.ticket_sla_at_risk.send(sender=Ticket, ticket=ticket, by=by, target=target, due=due)
    return [(kind, target) for kind, target, _due in sent]


def sla_sweep(now: datetime | None = None, limit: int = 5000) -> int:
    """Check every ticket whose SLA flags or state are due to change; returns how many changed.

    One short transaction per ticket, so a long sweep never holds many locks and a failing
    ticket does not block the others.
    """
    now = now or timezone.now()
    ids = list(_sweep_candidates(now).order_by("pk").values_list("pk", flat=True)[:limit])
    changed = 0
    for ticket_id in ids:
        check_ticket_sla(ticket_id, now)
        changed += 1
    return changed
