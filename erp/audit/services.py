"""The one audit mechanism every domain service uses."""

from datetime import date, datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from .actor import Actor, as_actor
from .models import AuditEvent


def _plain(value):
    """A JSON-friendly, human-readable form of a field value."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (datetime, date)):
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


@transaction.atomic
def audited_save(instance: models.Model, *, by, fields=None):
    """Save ``instance`` and record "created" or "updated" with each changed field's old → new.

    For plain records edited as a whole (admin forms of people, departments, devices): the
    previous values are read from the database under a row lock, so the diff is exact even
    when two admins save at once. No event when nothing changed.
    """
    fields = fields or concrete_field_names(instance)
    model = type(instance)
    previous = model._default_manager.select_for_update().filter(pk=instance.pk).first() if instance.pk else None
    instance.save()
    if previous is None:
        audit_record(instance, "created", by=by, changes=diff({}, snapshot(instance, fields)))
        return instance
    changes = diff(snapshot(previous, fields), snapshot(instance, fields))
    if changes:
        audit_record(instance, "updated", by=by, changes=changes)
    return instance
