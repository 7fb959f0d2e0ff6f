"""What people do with a group: acknowledge, snooze, resolve, open or link a ticket.

Each service locks the group, checks ``selectors.can_act``, records an audit event and sends
``group_changed`` / ``group_resolved``; repeating an action that is already in effect writes
nothing and sends nothing.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from erp.audit.actor import as_actor
from erp.audit.services import audit_record
from erp.core.dates import moment_label
from tickets.models import Level, TicketType
from tickets.selectors import ticket_for
from tickets.services import ticket_create

from .. import conf, signals
from ..models import AlertGroup, GroupState, Item, Severity
from ..selectors import can_act, can_act_on_source

# Severity → the ticket's impact and urgency; critical lands on P1 through the priority matrix,
# which opens the incident workflow (critical-channel alert, incident channel).
TICKET_LEVELS = {
    Severity.CRITICAL: (Level.HIGH, Level.HIGH),
    Severity.ERROR: (Level.HIGH, Level.MEDIUM),
    Severity.WARNING: (Level.MEDIUM, Level.MEDIUM),
    Severity.INFO: (Level.LOW, Level.LOW),
}


def _locked(group: AlertGroup, by) -> AlertGroup:
    actor = as_actor(by)
    group = AlertGroup.objects.select_for_update().select_related("source").get(pk=group.pk)
    if actor.user is not None and not can_act(actor.user, group):
        raise PermissionDenied(_("You cannot act on this alert."))
    return group


def _changed(group, change: str, by, changes: dict, **context) -> AlertGroup:
    audit_record(group, change, by=by, changes=changes, **context)
    signals.group_changed.send(sender=AlertGroup, group=group, change=change, by=as_actor(by))
    return group


@transaction.atomic
def group_acknowledge(*, group: AlertGroup, by) -> AlertGroup:
    """Mark the group as being looked at by ``by``'s user (idempotent while acknowledged)."""
    group = _locked(group, by)
    user = as_actor(by).user
    if group.acknowledged_at is not None:
        return group
    group.acknowledged_by, group.acknowledged_at = user, timezone.now()
    group.save(update_fields=["acknowledged_by", "acknowledged_at"])
    return _changed(group, "acknowledged", by, {"acknowledged_by": [None, str(user) if user else None]})


@transaction.atomic
def group_snooze(*, group: AlertGroup, by, minutes: int | None = None) -> AlertGroup:
    """Silence the group's Slack pages for ``minutes`` (default ALERTS_SNOOZE_MINUTES): items
    are still stored and counted, the message still updates, nobody is paged."""
    minutes = conf.get("ALERTS_SNOOZE_MINUTES") if minutes is None else int(minutes)
    if not 1 <= minutes <= 7 * 24 * 60:
        raise ValidationError(_("Snooze for between one minute and seven days."))
    group = _locked(group, by)
    before = group.snoozed_until
    group.snoozed_until = timezone.now() + timedelta(minutes=minutes)
    group.save(update_fields=["snoozed_until"])
    return _changed(group, "snoozed", by, {"snoozed_until": [before, group.snoozed_until]}, minutes=minutes)


@transaction.atomic
def group_resolve(*, group: AlertGroup, by) -> AlertGroup:
    """Resolve by hand (the sender may resolve it later again: harmless). Idempotent."""
    group = _locked(group, by)
    if group.state == GroupState.RESOLVED:
        return group
    group.state, group.resolved_at = GroupState.RESOLVED, timezone.now()
    group.save(update_fields=["state", "resolved_at"])
    audit_record(group, "resolved", by=by, changes={"state": [GroupState.FIRING, GroupState.RESOLVED]})
    signals.group_resolved.send(sender=AlertGroup, group=group, item=None, by=as_actor(by))
    return group


def _ticket_description(group: AlertGroup) -> str:
    lines = [group.summary or group.title, "", _("Source: %(source)s") % {"source": group.source.name}]
    lines.append(
        _("First seen: %(moment)s · count %(count)d") % {"moment": moment_label(group.first_seen), "count": group.count}
    )
    if group.url:
        lines.append(group.url)
    return "\n".join(lines)


@transaction.atomic
def group_open_ticket(*, group: AlertGroup, by, ticket_ref: str = ""):
    """Link the group to a ticket: an existing one (``ticket_ref``, e.g. "INC-12") or a new
    incident for the source's owner team, filed by ``by``'s user through tickets.services.

    A critical group becomes a P1 incident, which runs the incident workflow. A group that
    already has a ticket keeps it (idempotent: the linked ticket is returned).
    """
    group = _locked(group, by)
    if group.ticket_id is not None:
        return group.ticket
    actor = as_actor(by)
    if ticket_ref:
        try:
            ticket = ticket_for(actor.user, ticket_ref)
        except Exception:
            raise ValidationError(_("No ticket %(ref)s that you can see.") % {"ref": ticket_ref}) from None
    else:
        impact, urgency = TICKET_LEVELS.get(group.severity, (Level.MEDIUM, Level.MEDIUM))
        ticket = ticket_create(
            title=group.title[:200],
            description=_ticket_description(group),
            ticket_type=TicketType.INCIDENT,
            impact=impact,
            urgency=urgency,
            group=group.source.owner_team,
            tags="alert",
            by=actor,
        )
    group.ticket = ticket
    group.save(update_fields=["ticket"])
    _changed(group, "ticket_linked", by, {"ticket": [None, ticket.number]})
    return ticket


@transaction.atomic
def release_open_patch_ticket(*, item: Item, by):
    """A service request to patch what a security release fixes, for the feed's owner team;
    its SLA comes from the priority (high impact: the fix is published, the clock runs).
    Idempotent per item: the ticket is remembered in the item's facts."""
    item = Item.objects.select_for_update().select_related("source").get(pk=item.pk)
    actor = as_actor(by)
    if actor.user is not None and not can_act_on_source(actor.user, item.source):
        raise PermissionDenied(_("You cannot act on this alert."))
    number = item.facts.get("patch_ticket")
    if number:
        return ticket_for(actor.user, number) if actor.user else None
    ticket = ticket_create(
        title=(_("Patch: %(title)s") % {"title": item.title})[:200],
        description="\n".join(filter(None, [item.title, item.url, ", ".join(item.facts.get("cves", []))])),
        ticket_type=TicketType.SERVICE_REQUEST,
        impact=Level.HIGH,
        urgency=Level.MEDIUM,
        group=item.source.owner_team,
        tags="patch,security",
        by=actor,
    )
    item.facts = {**item.facts, "patch_ticket": ticket.number}
    item.save(update_fields=["facts"])
    audit_record(item, "patch_ticket", by=actor, changes={"ticket": [None, ticket.number]})
    return ticket
