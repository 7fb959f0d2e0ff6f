"""Audit events in the reader's words: the action as a phrase, fields by their verbose names and
choice values by their labels, so a history never shows "approved · status: pending → approved".

Modules pass their own action phrases; field and value labels come from the model itself.
"""

from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _


def field_label(model, name: str, extra: dict | None = None) -> str:
    if extra and name in extra:
        return str(extra[name])
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def value_label(model, name: str, value) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    try:
        choices = dict(model._meta.get_field(name).choices or ())
    except FieldDoesNotExist:
        choices = {}
    return str(choices.get(value, value))


def labelled_changes(model, event, extra: dict | None = None) -> list[tuple[str, str, str]]:
    """[(field label, old, new)] of ``event`` with choice values shown by their labels."""
    return [
        (field_label(model, name, extra), value_label(model, name, old), value_label(model, name, new))
        for name, old, new in event.change_list()
    ]


@dataclass(frozen=True)
class LabelledEvent:
    """What includes/audit_trail.html shows for one event."""

    event: object
    label: str
    changes: list


def labelled_events(events, model, actions: dict, extra_fields: dict | None = None) -> list[LabelledEvent]:
    return [
        LabelledEvent(e, str(actions.get(e.action, e.action)), labelled_changes(model, e, extra_fields)) for e in events
    ]
