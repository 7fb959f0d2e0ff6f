"""The detail page's timeline: comments and audit events (status, assignment, SLA...) merged."""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from erp.audit.labels import labelled_changes
from erp.audit.selectors import audit_trail

from .models import SLATarget, Ticket
from .selectors import can_see_internal, ticket_comments

ACTION_LABELS = {
    "created": _("created the ticket"),
    "updated": _("edited the ticket"),
    "assigned": _("changed the assignee"),
    "status_changed": _("changed the status"),
    "escalated": _("escalated the ticket"),
    "attached": _("attached files"),
    "sla_at_risk": _("SLA at risk"),
    "sla_breached": _("SLA breached"),
    "rated": _("rated the ticket"),
}


# Other apps add short notes to comments (e.g. alerts: how a reply mail went) without
# tickets knowing them: ``provider(ticket, comments) -> {comment pk: [note, …]}``.
_comment_note_providers: list = []


def register_comment_notes(provider) -> None:
    if provider not in _comment_note_providers:
        _comment_note_providers.append(provider)


# Internal handling a requester has no use for (issue 16): who holds the ticket, which group,
# the escalation level, SLA alarms. People who cannot see internal notes do not get them.
ROUTING_ACTIONS = {"assigned", "escalated", "sla_at_risk", "sla_breached"}
ROUTING_FIELDS = {"assignee", "group", "escalation_level", "sla_state"}


@dataclass
class TimelineEntry:
    at: datetime
    kind: str  # "comment" | "event"
    comment: object = None
    event: object = None
    # An event's reason (escalation, status change) is a handling note: see ticket_timeline.
    hide_reason: bool = False
    notes: list = field(default_factory=list)
    hide_routing: bool = False

    @property
    def label(self) -> str:
        """What happened, e.g. "SLA at risk (First response)"."""
        if not self.event:
            return ""
        label = str(ACTION_LABELS.get(self.event.action, self.event.action))
        target = self.target_label
        return f"{label} ({target})" if target else label

    @property
    def target_label(self) -> str:
        target = (self.event.context or {}).get("target") if self.event else None
        return str(dict(SLATarget.choices).get(target, target or ""))

    @property
    def badges(self) -> list[str]:
        return [str(_("round-robin"))] if self.event and (self.event.context or {}).get("auto") else []

    @property
    def changes(self) -> list[tuple[str, str, str]]:
        """[(field label, old, new)] with choice values shown by their labels."""
        if not self.event:
            return []
        names = [name for name, _old, _new in self.event.change_list()]
        rows = labelled_changes(Ticket, self.event, EXTRA_FIELD_LABELS)
        return [
            row for name, row in zip(names, rows, strict=True) if not (self.hide_routing and name in ROUTING_FIELDS)
        ]


# Audited names that are not Ticket fields.
EXTRA_FIELD_LABELS = {"satisfaction": _("satisfaction"), "satisfaction_comment": _("satisfaction comment")}


def ticket_timeline(user, ticket) -> list[TimelineEntry]:
    """Oldest first. Comments come from the permission-aware comments selector; audit
    events of comments are skipped (the comment itself is shown, or hidden when internal);
    event reasons are hidden from people who cannot see internal notes, except their own."""
    internal_ok = can_see_internal(user, ticket)
    entries = []
    # audit_trail is newest first; walk it oldest first so same-moment events keep their order.
    for event in reversed(list(audit_trail(ticket))):
        if event.action == "commented":
            continue
        if event.action == "attached" and not internal_ok and event.context.get("internal"):
            continue
        if event.action in ROUTING_ACTIONS and not internal_ok:
            continue
        # Handlers see every reason; others only the ones they wrote (e.g. their own reopen).
        own = event.actor_id is not None and event.actor_id == user.pk
        entries.append(
            TimelineEntry(
                at=event.created_at,
                kind="event",
                event=event,
                hide_reason=not (internal_ok or own),
                hide_routing=not internal_ok,
            )
        )
    comments = list(ticket_comments(user, ticket))
    notes: dict = {}
    for provider in _comment_note_providers:
        for pk, more in provider(ticket, comments).items():
            notes.setdefault(pk, []).extend(more)
    entries += [TimelineEntry(at=c.created_at, kind="comment", comment=c, notes=notes.get(c.pk, [])) for c in comments]
    entries.sort(key=lambda entry: entry.at)
    return entries
