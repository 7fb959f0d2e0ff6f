"""Storing what arrives and folding it into groups.

Every adapter (webhook shapes, mail, feeds) turns what it received into ``Incoming`` values
and hands them to :func:`alerts_receive`, so grouping, de-duplication and the signals work
the same whatever the channel.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from erp.audit.actor import Actor
from erp.audit.services import audit_record

from .. import conf, signals
from ..models import SEVERITY_RANK, AlertGroup, GroupState, Item, ItemKind, Severity, Source

FIRING, RESOLVED = GroupState.FIRING.value, GroupState.RESOLVED.value


@dataclass
class Incoming:
    """One received thing, parsed. ``key`` groups it (empty: stored without a group)."""

    external_id: str
    title: str
    key: str = ""
    kind: str = ItemKind.ALERT
    status: str = FIRING  # "firing", "resolved", or "" for an item with no state (a release)
    # The group's state after this item when the sender says so for the whole delivery
    # (Alertmanager: a notification mixing resolved and firing alerts is "firing").
    group_status: str = ""
    severity: str = Severity.WARNING
    body: str = ""
    url: str = ""
    occurred_at: datetime | None = None
    raw: str = ""
    facts: dict = field(default_factory=dict)
    error: str = ""


@dataclass
class Received:
    stored: list = field(default_factory=list)
    duplicates: int = 0
    groups: set = field(default_factory=set)

    def as_dict(self) -> dict:
        return {"stored": len(self.stored), "duplicates": self.duplicates, "groups": len(self.groups)}


def clip(text: str, limit: int) -> str:
    return (text or "")[:limit]


def _new_item(source: Source, incoming: Incoming, now) -> Item:
    return Item(
        source=source,
        kind=incoming.kind,
        external_id=clip(incoming.external_id, 255),
        title=clip(" ".join((incoming.title or "").split()), 500),
        body=incoming.body or "",
        url=clip(incoming.url, 500),
        status=incoming.status or "",
        severity=incoming.severity or "",
        occurred_at=incoming.occurred_at,
        received_at=now,
        raw=clip(incoming.raw, conf.get("ALERTS_RAW_KEEP_BYTES")),
        facts=incoming.facts or {},
        error=clip(incoming.error, 300),
    )


def _store_item(item: Item) -> bool:
    """Insert the item; False when the sender's id is already stored (a repeated delivery)."""
    if Item.objects.filter(source=item.source, external_id=item.external_id).exists():
        return False
    try:
        with transaction.atomic():  # a savepoint: losing a race must not break the caller's transaction
            item.save()
    except IntegrityError:
        return False
    return True


@transaction.atomic
def alerts_receive(*, source: Source, incoming: list[Incoming], by=None) -> Received:
    """Store each incoming item once and fold it into its group.

    Side effects per new item: one Item row; its group is created (``group_opened``), fired
    again after a resolution (``group_opened``), counted (``group_repeated``) or resolved
    (``group_resolved``, audited). An item whose external id is stored already is counted
    as a duplicate and changes nothing: re-sent deliveries are harmless.
    """
    by = by or Actor.system(source=source.name)
    now = timezone.now()
    result = Received()
    for one in incoming:
        item = _new_item(source, one, now)
        if not _store_item(item):
            result.duplicates += 1
            continue
        result.stored.append(item)
        if one.key:
            group = _fold(source, one, item, now, by)
            result.groups.add(group.pk)
    return result


def _fold(source: Source, one: Incoming, item: Item, now, by) -> AlertGroup:
    key = clip(one.key, 255)
    group = AlertGroup.objects.select_for_update().filter(source=source, key=key).first()
    created = group is None
    if created:
        try:
            with transaction.atomic():
                group = AlertGroup.objects.create(
                    source=source,
                    key=key,
                    title=clip(item.title or key, 300),
                    state=FIRING,
                    severity=one.severity or Severity.WARNING,
                    first_seen=now,
                    last_seen=now,
                    count=0,
                    url=item.url,
                    summary=clip(one.body, 2000),
                )
        except IntegrityError:  # another delivery created it first: use theirs
            created = False
            group = AlertGroup.objects.select_for_update().get(source=source, key=key)
    Item.objects.filter(pk=item.pk).update(group=group)
    item.group = group
    was_state = group.state
    group.count += 1
    group.last_seen = now
    if SEVERITY_RANK.get(one.severity, 9) < SEVERITY_RANK.get(group.severity, 9):
        group.severity = one.severity  # a group is as severe as its worst item
    if one.url and not group.url:
        group.url = clip(one.url, 500)
    resolving = (one.group_status or one.status) == RESOLVED
    if resolving and was_state == FIRING:
        group.state, group.resolved_at = RESOLVED, now
    elif not resolving and was_state == RESOLVED:
        # It fired again: a new episode; earlier acknowledgement and snooze were for the last one.
        group.state, group.resolved_at = FIRING, None
        group.acknowledged_by, group.acknowledged_at, group.snoozed_until = None, None, None
        group.title = clip(item.title or group.title, 300)
    group.save()
    if created:
        audit_record(group, "opened", by=by, changes={"state": [None, FIRING]})
        signals.group_opened.send(sender=AlertGroup, group=group, item=item, by=by)
        if resolving:  # a first delivery that is already resolved (a recovery mail, a late webhook)
            signals.group_resolved.send(sender=AlertGroup, group=group, item=item, by=by)
    elif group.state != was_state:
        action = "refired" if group.state == FIRING else "resolved"
        audit_record(group, action, by=by, changes={"state": [was_state, group.state]})
        signal = signals.group_opened if group.state == FIRING else signals.group_resolved
        signal.send(sender=AlertGroup, group=group, item=item, by=by)
    else:
        signals.group_repeated.send(sender=AlertGroup, group=group, item=item, by=by)
    return group
