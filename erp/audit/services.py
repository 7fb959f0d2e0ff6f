"""The one audit mechanism every domain service uses."""

from datetime import date, datetime, time
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from .actor import Actor, as_actor
from .models import AuditEvent


def _plain(value):
    """A JSON-friendly, human-readable form of a field value."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    return value


def snapshot(instance: models.Model, fields) -> dict:
    """Field values of ``instance`` to diff against after a change."""
    return {name: getattr(instance, name) for name in fields}


def diff(before: dict, after: dict) -> dict:
    """{field: [old, new]} for the fields whose value changed."""
    return {
        name: [_plain(before.get(name)), _plain(after.get(name))]
        for name in after
        if before.get(name) != after.get(name)
    }


def audit_record(instance: models.Model, action: str, *, by, changes: dict | None = None, **context):
    """Record that ``by`` did ``action`` to ``instance``; returns the AuditEvent.

    Call it inside the service's transaction so the trail and the change commit together.
    ``changes`` is {field: [old, new]} (see ``diff``); extra keyword arguments are kept as
    context (e.g. a reason, a Slack message link) merged with the actor's own context.
    """
    actor: Actor = as_actor(by)
    return AuditEvent.objects.create(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        action=action,
        actor=actor.user if getattr(actor.user, "pk", None) else None,
        actor_label=actor.label[:150],
        source=actor.source,
        changes={k: [_plain(v[0]), _plain(v[1])] for k, v in (changes or {}).items()},
        context={**actor.context, **{k: _plain(v) for k, v in context.items()}},
    )


def concrete_field_names(instance: models.Model) -> list[str]:
    """The editable concrete fields, by attribute name (``department``, not ``department_id``)."""
    return [f.name for f in instance._meta.concrete_fields if f.editable and not f.primary_key]


def _locked_copy(instance: models.Model):
    """The stored row of ``instance`` under ``SELECT … FOR UPDATE`` (None if it has none)."""
    if instance.pk is None:
        return None
    return type(instance)._default_manager.select_for_update().filter(pk=instance.pk).first()


def _values(instance: models.Model, fields, m2m_fields) -> dict:
    """Field values plus many-to-many values as sorted labels (order carries no meaning)."""
    values = snapshot(instance, fields)
    for name in m2m_fields:
        values[name] = sorted(str(related) for related in getattr(instance, name).all())
    return values


@transaction.atomic
def audited_save(
    instance: models.Model,
    *,
    by,
    fields=None,
    m2m: dict | None = None,
    validate: bool = False,
    on: models.Model | None = None,
    actions: tuple[str, str] = ("created", "updated"),
    **context,
):
    """Save ``instance`` and record "created" or "updated" with each changed field's old → new.

    For plain records edited as a whole (admin forms of people, departments, devices, the
    ticket and calendar configuration): the previous values are read from the database
    under a row lock, so the diff is exact even when two admins save at once. No event
    when nothing changed.

    ``m2m`` ({field: objects}) sets many-to-many fields after the save; their change is
    part of the same event. ``validate`` runs ``full_clean`` first (for callers other
    than a model form, which has validated already). ``on`` records the event on another
    record, e.g. a roster entry's change on the roster it belongs to, with ``actions``
    naming what happened and ``context`` saying which entry.
    """
    fields = fields or concrete_field_names(instance)
    m2m = m2m or {}
    if validate:
        instance.full_clean()
    previous = _locked_copy(instance)
    before = _values(previous, fields, m2m) if previous is not None else {}
    instance.save()
    for name, related in m2m.items():
        getattr(instance, name).set(related)
    changes = diff(before, _values(instance, fields, m2m))
    if previous is None or changes:
        action = actions[0] if previous is None else actions[1]
        audit_record(on if on is not None else instance, action, by=by, changes=changes, **context)
    return instance


@transaction.atomic
def audited_delete(
    instance: models.Model,
    *,
    by,
    fields=None,
    m2m_fields=(),
    on: models.Model | None = None,
    action: str = "deleted",
    **context,
):
    """Delete ``instance`` and record "deleted" with every value it had (old → None).

    The event outlives the row: it keeps the record's type, id and name, so "who deleted
    the P1 SLA policy" stays answerable. Idempotent: a row already gone records nothing
    (returns None). ``on``/``action``/``context`` as for ``audited_save``.
    """
    current = _locked_copy(instance)
    if current is None:
        return None
    values = _values(current, fields or concrete_field_names(current), m2m_fields)
    event = audit_record(
        on if on is not None else current,
        action,
        by=by,
        changes=diff(values, dict.fromkeys(values)),
        **context,
    )
    current.delete()
    return event
