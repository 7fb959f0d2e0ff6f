"""Audit events in the reader's words: "승인", "상태: 대기 → 승인" instead of "approved" and
``{"status": ["pending", "approved"]}``.

Action codes are shared across modules (ACTION_LABELS; a module may pass its own phrases for
its actions); field names and values come from the recorded model's verbose names and
choices. The ticket timeline has its own richer wording (tickets/timeline.py).
"""

from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# msgctxt: "created" is also a column header (생성 일시), "rejected" a data-upload result.
ACTION_LABELS = {
    "created": pgettext_lazy("audit action", "created"),
    "updated": pgettext_lazy("audit action", "edited"),
    "changed": pgettext_lazy("audit action", "changed"),
    "deleted": pgettext_lazy("audit action", "deleted"),
    "requested": pgettext_lazy("audit action", "requested a correction"),
    "approved": pgettext_lazy("audit action", "approved"),
    "rejected": pgettext_lazy("audit action", "rejected"),
    "cancelled": pgettext_lazy("audit action", "withdrew"),
    "corrected": pgettext_lazy("audit action", "corrected"),
    "assigned": pgettext_lazy("audit action", "changed the assignee"),
    "status_changed": pgettext_lazy("audit action", "changed the status"),
    "escalated": pgettext_lazy("audit action", "escalated"),
    "resolved": pgettext_lazy("audit action", "resolved"),
    "rated": pgettext_lazy("audit action", "rated"),
    "commented": pgettext_lazy("audit action", "commented"),
    "attached": pgettext_lazy("audit action", "attached files"),
    "checked_in": pgettext_lazy("audit action", "checked in"),
    "declined": pgettext_lazy("audit action", "declined"),
    "moved": pgettext_lazy("audit action", "moved"),
    "shared": pgettext_lazy("audit action", "shared"),
    "imported": pgettext_lazy("audit action", "imported"),
    "token_issued": pgettext_lazy("audit action", "issued a token"),
    "token_revoked": pgettext_lazy("audit action", "revoked the token"),
    "token_rotated": pgettext_lazy("audit action", "rotated the token"),
    "slack_linked": pgettext_lazy("audit action", "linked Slack"),
}


def action_label(event, actions: dict | None = None) -> str:
    """The event's action as a phrase: the module's own wording first, then the shared one."""
    phrase = (actions or {}).get(event.action) or ACTION_LABELS.get(event.action, event.action)
    return str(phrase)


def _model(event):
    try:
        return event.content_type.model_class()
    except Exception:  # a content type whose model is gone
        return None


def _field(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def field_label(model, name: str, extra: dict | None = None) -> str:
    if extra and name in extra:
        return str(extra[name])
    field = _field(model, name)
    return str(field.verbose_name) if field is not None and hasattr(field, "verbose_name") else name


def value_label(model, name: str, value) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, list | tuple):  # a many-to-many or list field: its items, each labelled
        return ", ".join(value_label(model, name, item) for item in value) or "—"
    if isinstance(value, dict):
        return ", ".join(f"{key}: {item}" for key, item in value.items()) or "—"
    choices = dict(getattr(_field(model, name), "choices", None) or ())
    return str(choices.get(value, value))


def labelled_changes(model, event, extra: dict | None = None) -> list[tuple[str, str, str]]:
    """[(field label, old, new)] of ``event`` with choice values shown by their labels."""
    return [
        (field_label(model, name, extra), value_label(model, name, old), value_label(model, name, new))
        for name, old, new in event.change_list()
    ]


def readable_changes(event) -> list[tuple[str, str, str]]:
    """``labelled_changes`` for an event of any model (read from its content type)."""
    return labelled_changes(_model(event), event)


@dataclass(frozen=True)
class LabelledEvent:
    """What includes/audit_trail.html shows for one event."""

    event: object
    label: str
    changes: list


def labelled_events(events, model, actions: dict, extra_fields: dict | None = None) -> list[LabelledEvent]:
    return [LabelledEvent(e, action_label(e, actions), labelled_changes(model, e, extra_fields)) for e in events]
