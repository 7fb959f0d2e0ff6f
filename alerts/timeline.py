"""A group's timeline: its items and its audit events, in words a person reads.

Audit events store action codes ("opened", "snoozed" …) and items store the sender's state
("firing", "resolved"); the page shows both through the catalog, Korean by default, and an
unknown code (a newer action, an older database) as it is rather than not at all.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from erp.audit.selectors import audit_trail

from .models import GroupState

ACTION_LABELS = {
    "opened": _("started firing"),
    "refired": _("fired again"),
    "resolved": _("resolved"),
    "acknowledged": _("acknowledged"),
    "snoozed": _("snoozed"),
    "ticket_linked": _("linked a ticket"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def item_badge(item) -> str:
    """An item's state as a badge: the group state's label, else the item's kind."""
    if item.status:
        return str(dict(GroupState.choices).get(item.status, item.status))
    return str(item.get_kind_display())


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime
    label: str
    actor: str


def group_events(group) -> list[TimelineEvent]:
    return [
        TimelineEvent(event.created_at, action_label(event.action), event.actor_label) for event in audit_trail(group)
    ]
