"""Audit events as people read them: "승인", "상태: 대기 → 승인" instead of "approved" and
``{"status": ["pending", "approved"]}``.

Action codes are shared across modules (a few are module-specific words); field names and
values are translated from the recorded model's own verbose names and choices. The ticket
timeline has its own richer wording (tickets/timeline.py); every other history uses this.
"""

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


def action_label(event) -> str:
    return str(ACTION_LABELS.get(event.action, event.action))


def _model(event):
    try:
        return event.content_type.model_class()
    except Exception:  # a content type whose model is gone
        return None


def _field(model, name):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _value(field, value) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    choices = dict(getattr(field, "choices", None) or ())
    return str(choices.get(value, value))


def readable_changes(event) -> list[tuple[str, str, str]]:
    """[(field label, old, new)] with verbose names and choice labels."""
    model = _model(event)
    rows = []
    for name, old, new in event.change_list():
        field = _field(model, name)
        label = str(field.verbose_name) if field is not None and hasattr(field, "verbose_name") else name
        rows.append((label, _value(field, old), _value(field, new)))
    return rows
