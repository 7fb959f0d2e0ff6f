"""Storing what arrives and folding it into groups.

Every adapter (webhook shapes, mail, feeds) turns what it received into ``Incoming`` values
and hands them to :func:`alerts_receive`, so grouping, de-duplication and the signals work
the same whatever the channel.
"""

from dataclasses import dataclass, field, replace
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
    # In a storm: where the item goes instead when its own group does not exist yet (one
    # overflow group rather than a new Slack message per new key), with that group's title.
    overflow_key: str = ""
    overflow_title: str = ""


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
    """Insert the item; False when the sender's id is already stored (a repeated delivery).

    No look-up first: a new item (the usual case) costs its INSERT in a savepoint, and a
    repeated one the unique constraint's refusal, which must not break the caller's transaction.
    """
    try:
        with transaction.atomic():
            item.save(force_insert=True)
    except IntegrityError:
        return False
    return True


@transaction.atomic
def alerts_receive(*, source: Source, incoming: list[Incoming], by=None, quiet: bool = False) -> Received:
    """Store each incoming item once and fold it into its group.

    Side effects per new item: one Item row; its group is created (``group_opened``), fired
    again after a resolution (``group_opened``), counted (``group_repeated``) or resolved
    (``group_resolved``, audited). An item whose external id is stored already is counted
    as a duplicate and changes nothing: re-sent deliveries are harmless.

    Repeats are coalesced: while the group's Slack message has not shown the last repeat yet
    (``held_repeats`` > 0), a new repeat only counts, so a burst costs one notification per
    group, not one per item. ``quiet`` (a mail storm, alerts.services.storm) holds every
    signal back; the storm job shows what was held once a minute.
    """
    by = by or Actor.system(source=source.name)
    now = timezone.now()
    result = Received()
    for one in incoming:
        item = _new_item(source, one, now)
        key = clip(one.key, 255)
        # A known group is locked before the item is inserted, so the item is stored with its
        # group at once (one INSERT, no UPDATE after it).
        group = _locked_group(source, key)
        if group is None and one.overflow_key:
            item.facts = {**item.facts, "storm_key": key}
            key = clip(one.overflow_key, 255)
            group = _locked_group(source, key)
            one = replace(one, key=key, group_status=FIRING)  # an overflow group counts; it never resolves
        item.group = group
        if not _store_item(item):
            result.duplicates += 1
            continue
        result.stored.append(item)
        if key:
            group = _fold(source, one, item, group, now, by, quiet=quiet)
            result.groups.add(group.pk)
    return result


# What folding an item can change on an existing group.
FOLD_FIELDS = [
    "count",
    "last_seen",
    "severity",
    "url",
    "state",
    "resolved_at",
    "acknowledged_by",
    "acknowledged_at",
    "snoozed_until",
    "title",
    "held_repeats",
]


def _locked_group(source: Source, key: str) -> AlertGroup | None:
    return AlertGroup.objects.select_for_update().filter(source=source, key=key).first() if key else None


def _create_group(source: Source, key: str, one: Incoming, item: Item, now) -> tuple[AlertGroup, bool]:
    try:
        with transaction.atomic():
            group = AlertGroup.objects.create(
                source=source,
                key=key,
                title=clip(one.overflow_title if key == one.overflow_key else item.title or key, 300),
                state=FIRING,
                severity=one.severity or Severity.WARNING,
                first_seen=now,
                last_seen=now,
                count=0,
                url=item.url,
                summary=clip(one.body, 2000),
            )
    except IntegrityError:  # another delivery created it first: use theirs
        return AlertGroup.objects.select_for_update().get(source=source, key=key), False
    return group, True


def _fold(source: Source, one: Incoming, item: Item, group, now, by, *, quiet: bool) -> AlertGroup:
    key = clip(one.key, 255)
    created = False
    if group is None:
        group, created = _create_group(source, key, one, item, now)
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
    repeat = not created and group.state == was_state
    # A repeat is shown by the notification already pending (held_repeats > 0) or, in a
    # storm, by the storm job; either way it is only counted here.
    signal_repeat = repeat and not quiet and group.held_repeats == 0
    if repeat or quiet:
        group.held_repeats += 1
    group.save(update_fields=None if created else FOLD_FIELDS)
    if created:
        audit_record(group, "opened", by=by, changes={"state": [None, FIRING]})
    elif group.state != was_state:
        action = "refired" if group.state == FIRING else "resolved"
        audit_record(group, action, by=by, changes={"state": [was_state, group.state]})
    if quiet and not created:
        return group
    if created:
        signals.group_opened.send(sender=AlertGroup, group=group, item=item, by=by)
        if resolving:  # a first delivery that is already resolved (a recovery mail, a late webhook)
            signals.group_resolved.send(sender=AlertGroup, group=group, item=item, by=by)
    elif group.state != was_state:
        signal = signals.group_opened if group.state == FIRING else signals.group_resolved
        signal.send(sender=AlertGroup, group=group, item=item, by=by)
    elif signal_repeat:
        signals.group_repeated.send(sender=AlertGroup, group=group, item=item, by=by)
    return group
