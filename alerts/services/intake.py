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
from erp.core.prepared import PreparedQuery

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
    # Hold this item's signals back (a mail in a storm); alerts_receive(quiet=True) does it for all.
    quiet: bool = False


@dataclass
class Received:
    stored: list = field(default_factory=list)
    duplicates: int = 0
    groups: set = field(default_factory=set)

    def merge(self, other: "Received") -> None:
        self.stored += other.stored
        self.duplicates += other.duplicates
        self.groups |= other.groups

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


def alerts_receive(*, source: Source, incoming: list[Incoming], by=None, quiet: bool = False) -> Received:
    """Store each incoming item once and fold it into its group.

    Side effects per new item: one Item row; its group is created (``group_opened``), fired
    again after a resolution (``group_opened``), counted (``group_repeated``) or resolved
    (``group_resolved``, audited). An item whose external id is stored already is counted
    as a duplicate and changes nothing: re-sent deliveries are harmless.

    Repeats are coalesced: while the group's Slack message has not shown the last repeat yet
    (``held_repeats`` > 0), a new repeat only counts, so a burst costs one notification per
    group, not one per item. ``quiet`` (a mail storm, alerts.services.storm) holds every
    signal back, for all items or (``Incoming.quiet``) for one; the storm job shows what was
    held once a minute.

    A batch costs the same few statements whatever its length: one look-up of the stored
    ids (none for a single item: the unique constraint decides), one locked read per group,
    one INSERT of the new items, one UPDATE per group.
    """
    by = by or Actor.system(source=source.name)
    try:
        with transaction.atomic():
            return _receive(source, incoming, by, quiet)
    except IntegrityError:
        # One of these ids is stored already: by a concurrent delivery between the look-up and
        # the INSERT, or (a single item, never looked up) by any earlier delivery.
        if len(incoming) > 1:  # one by one, so the others are stored all the same
            result = Received()
            for one in incoming:
                result.merge(alerts_receive(source=source, incoming=[one], by=by, quiet=quiet))
            return result
        if Item.objects.filter(source=source, external_id=clip(incoming[0].external_id, 255)).exists():
            return Received(duplicates=1)
        raise


def _receive(source: Source, incoming: list[Incoming], by, quiet: bool) -> Received:
    now = timezone.now()
    result = Received()
    known = _stored_ids(source, {clip(one.external_id, 255) for one in incoming})
    batch = _Batch(source, now, by)
    for one in incoming:
        item = _new_item(source, one, now)
        if item.external_id in known:  # stored before, or earlier in this batch
            result.duplicates += 1
            continue
        known.add(item.external_id)
        key = clip(one.key, 255)
        # A known group is locked before the item is inserted, so the item is stored with its
        # group at once (one INSERT, no UPDATE after it).
        group = batch.locked_group(key)
        if group is None and one.overflow_key:
            item.facts = {**item.facts, "storm_key": key}
            key = clip(one.overflow_key, 255)
            group = batch.locked_group(key)
            one = replace(one, key=key, group_status=FIRING)  # an overflow group counts; it never resolves
        item.group = group
        result.stored.append(item)
        if key:
            group = batch.fold(one, item, group, quiet=quiet or one.quiet)
            result.groups.add(group.pk)
    Item.objects.bulk_create(result.stored)
    batch.save()
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


def _stored_ids(source: Source, external_ids: set[str]) -> set[str]:
    if len(external_ids) == 1:
        # One alert (most generic webhooks, every mail): no look-up. The unique constraint
        # answers it, and alerts_receive counts a duplicate when the INSERT is refused.
        return set()
    return set(Item.objects.filter(source=source, external_id__in=external_ids).values_list("external_id", flat=True))


# Compiled once per process: every delivery locks its groups this way. A slice, not first():
# (source, key) is unique, and first() would add an ORDER BY.
_LOCKED_GROUP = PreparedQuery(
    lambda source_id, key: AlertGroup.objects.select_for_update().filter(source_id=source_id, key=key)[:1], int, str
)


def _locked_group(source: Source, key: str) -> AlertGroup | None:
    found = _LOCKED_GROUP.all(source.pk, key) if key else []
    return found[0] if found else None


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


class _Batch:
    """The groups one call of alerts_receive touches: each read (and locked) once, folded in
    memory, written once at the end; the audit records and signals follow the writes, in
    the order the items came (the Slack side renders the group as it is after commit)."""

    def __init__(self, source: Source, now, by):
        self.source, self.now, self.by = source, now, by
        self.groups: dict[str, AlertGroup | None] = {}
        self.dirty: dict[int, AlertGroup] = {}
        self.events: list = []

    def locked_group(self, key: str) -> AlertGroup | None:
        if key not in self.groups:
            self.groups[key] = _locked_group(self.source, key)
        return self.groups[key]

    def fold(self, one: Incoming, item: Item, group, *, quiet: bool) -> AlertGroup:
        key, now = clip(one.key, 255), self.now
        created = False
        if group is None:
            group, created = _create_group(self.source, key, one, item, now)
            self.groups[key] = group
            item.group = group
        self.dirty[group.pk] = group
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
        if created:
            self._audit(group, "opened", {"state": [None, FIRING]})
        elif group.state != was_state:
            action = "refired" if group.state == FIRING else "resolved"
            self._audit(group, action, {"state": [was_state, group.state]})
        if quiet and not created:
            return group
        if created:
            self._signal(signals.group_opened, group, item)
            if resolving:  # a first delivery that is already resolved (a recovery mail, a late webhook)
                self._signal(signals.group_resolved, group, item)
        elif group.state != was_state:
            self._signal(signals.group_opened if group.state == FIRING else signals.group_resolved, group, item)
        elif signal_repeat:
            self._signal(signals.group_repeated, group, item)
        return group

    def _audit(self, group, action: str, changes: dict) -> None:
        self.events.append(lambda: audit_record(group, action, by=self.by, changes=changes))

    def _signal(self, signal, group, item) -> None:
        self.events.append(lambda: signal.send(sender=AlertGroup, group=group, item=item, by=self.by))

    def save(self) -> None:
        for group in self.dirty.values():
            group.save(update_fields=FOLD_FIELDS)
        for event in self.events:
            event()
