"""Creating and editing tickets."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from erp.audit.models import Source
from erp.audit.services import audit_record, diff, snapshot
from erp.core.tags import normalize_tags
from erp.people.models import Department
from erp.people.roles import is_agent

from .. import signals
from ..models import Category, GroupSettings, Level, Priority, Status, Ticket, TicketSettings, TicketSource, TicketType
from ..p1_policy import HELD_BACK_PRIORITY, may_raise_p1, refusal_message
from ..selectors import can_declassify, can_edit, can_handle
from . import sla
from ._common import actor_of, lock_ticket, require
from .assignment import assign_locked, round_robin_pick, validate_assignee
from .attachments import store_attachments, validate_attachments
from .numbering import allocate_number, priority_for

# Fields ticket_update accepts; the requester of an open ticket may change only the title,
# the description and whether it is sensitive (their own privacy).
EDITABLE_FIELDS = ("title", "description", "category", "impact", "urgency", "group", "sensitive", "tags")
REQUESTER_EDITABLE_FIELDS = ("title", "description", "sensitive")
_ACTOR_SOURCE_TO_TICKET_SOURCE = {Source.SLACK: TicketSource.SLACK, Source.API: TicketSource.API}


def _clean_title(title) -> str:
    title = " ".join(str(title or "").split())
    if not title:
        raise ValidationError({"title": _("Enter a title.")})
    if len(title) > 200:
        raise ValidationError({"title": _("Keep the title under 200 characters.")})
    return title


def _check_choice(field: str, value, choices) -> None:
    if value not in choices.values:
        raise ValidationError({field: _("“%(value)s” is not a valid choice.") % {"value": value}})


@transaction.atomic
def ticket_create(
    *,
    title: str,
    description: str = "",
    ticket_type: str = TicketType.INCIDENT,
    requester=None,
    category: Category | None = None,
    impact: str = Level.MEDIUM,
    urgency: str = Level.MEDIUM,
    group: Department | None = None,
    assignee=None,
    source: str | None = None,
    sensitive: bool = False,
    tags="",
    attachments=(),
    by,
) -> Ticket:
    """Open a ticket.

    Side effects: allocates the next INC/SR number, computes priority (matrix) and SLA due
    moments, stores attachments, records the "created" audit event and sends ticket_created;
    then assigns (explicit assignee, or round-robin when the group has auto-assign on), which
    records "assigned" and sends ticket_assigned. Not idempotent: each call opens a ticket.
    Filing on behalf of someone else or choosing an assignee needs an agent role.
    """
    actor = actor_of(by)
    user = actor.user
    requester = requester or user
    if requester is None:
        raise ValidationError({"requester": _("Choose who the ticket is for.")})
    if not getattr(requester, "is_active", False):
        raise ValidationError({"requester": _("The requester's account is inactive.")})
    agent_rights = is_agent(user)
    if user is not None and requester.pk != user.pk:
        require(agent_rights, _("Only agents can file tickets for someone else."))
    if assignee is not None:
        require(user is None or agent_rights, _("Only agents can choose an assignee."))
        validate_assignee(assignee)
    _check_choice("ticket_type", ticket_type, TicketType)
    _check_choice("impact", impact, Level)
    _check_choice("urgency", urgency, Level)
    source = source or _ACTOR_SOURCE_TO_TICKET_SOURCE.get(actor.source, TicketSource.WEB)
    _check_choice("source", source, TicketSource)
    validate_attachments(attachments)
    if group is None and category is not None:
        group = category.default_group
    if group is None:  # no category route: the admin's intake group (e.g. the service desk)
        group = TicketSettings.current().intake_group
    priority = priority_for(impact, urgency)
    # Who may raise a P1 is the admin's policy (tickets/p1_policy.py): others get P2 + a note.
    p1_held_back = priority == Priority.P1 and not may_raise_p1(user)
    if p1_held_back:
        priority = HELD_BACK_PRIORITY

    ticket = Ticket(
        number=allocate_number(ticket_type),
        ticket_type=ticket_type,
        title=_clean_title(title),
        description=(description or "").strip(),
        category=category,
        impact=impact,
        urgency=urgency,
        priority=priority,
        status=Status.OPEN,
        requester=requester,
        group=group,
        source=source,
        sensitive=bool(sensitive),
        tags=normalize_tags(tags),
    )
    ticket.save()  # created_at is set here; the SLA clock starts from it
    sla.apply_policy(ticket)
    sla.refresh_state(ticket)
    ticket.save(update_fields=[*SLA_FIELDS, "updated_at"])
    store_attachments(ticket=ticket, uploads=attachments, user=user)
    audit_record(
        ticket,
        "created",
        by=actor,
        changes={
            "status": [None, ticket.status],
            "priority": [None, ticket.priority],
            "group": [None, str(group) if group else None],
        },
    )
    if p1_held_back:
        audit_record(ticket, "p1_not_allowed", by=actor, requested=Priority.P1, filed_at=priority)
        ticket.p1_held_back = True  # for the surface's notice (p1_policy.notice_for)
    signals.ticket_created.send(sender=Ticket, ticket=ticket, by=actor)

    if assignee is None and group is not None:
        settings_row = GroupSettings.objects.filter(group=group, auto_assign=True).first()
        if settings_row is not None:
            assignee = round_robin_pick(group)
            if assignee is not None:
                assign_locked(ticket, assignee, actor, auto=True)
    elif assignee is not None:
        assign_locked(ticket, assignee, actor, auto=False)
    return ticket


SLA_FIELDS = (
    "sla_policy",
    "sla_state",
    "first_response_due",
    "first_response_warn_at",
    "resolution_due",
    "resolution_warn_at",
)


@transaction.atomic
def ticket_update(*, ticket, by, **fields) -> Ticket:
    """Change descriptive fields (see EDITABLE_FIELDS). Status, assignee and escalation have
    their own services.

    Side effects: recomputes priority and SLA due moments when impact/urgency change,
    records "updated" with old → new, sends ticket_updated with ``changes``. A call that
    changes nothing writes nothing and sends nothing (idempotent).
    """
    actor = actor_of(by)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    ticket = lock_ticket(ticket)
    user = actor.user
    if user is not None:
        require(can_edit(user, ticket), _("You cannot edit this ticket."))
        if not can_handle(user, ticket):
            extra = set(fields) - set(REQUESTER_EDITABLE_FIELDS)
            require(not extra, _("Only the title and description can be changed by the requester."))
        if ticket.sensitive and "sensitive" in fields and not fields["sensitive"]:
            require(
                can_declassify(user, ticket),
                _("Only the requester, the group's managers and administrators can clear the sensitive flag."),
            )
    elif ticket.status == Status.CLOSED:
        raise ValidationError(_("A closed ticket cannot be edited."))

    before = snapshot(ticket, fields)
    levels_before = (ticket.impact, ticket.urgency)
    if "title" in fields:
        ticket.title = _clean_title(fields["title"])
    if "description" in fields:
        ticket.description = (fields["description"] or "").strip()
    if "impact" in fields:
        _check_choice("impact", fields["impact"], Level)
        ticket.impact = fields["impact"]
    if "urgency" in fields:
        _check_choice("urgency", fields["urgency"], Level)
        ticket.urgency = fields["urgency"]
    if "tags" in fields:
        ticket.tags = normalize_tags(fields["tags"])
    for name in ("category", "group"):
        if name in fields:
            setattr(ticket, name, fields[name])
    if "sensitive" in fields:
        ticket.sensitive = bool(fields["sensitive"])

    before_priority = ticket.priority
    if (ticket.impact, ticket.urgency) != levels_before:
        ticket.priority = priority_for(ticket.impact, ticket.urgency)
        if ticket.priority == Priority.P1 and before_priority != Priority.P1 and not may_raise_p1(user):
            raise ValidationError({"impact": refusal_message()})
    after = snapshot(ticket, fields)
    changes = diff(before, after)
    if ticket.priority != before_priority:
        changes["priority"] = [before_priority, ticket.priority]
        sla.apply_policy(ticket)
        sla.refresh_state(ticket)
    if not changes:
        return ticket
    ticket.save()
    audit_record(ticket, "updated", by=actor, changes=changes)
    signals.ticket_updated.send(sender=Ticket, ticket=ticket, by=actor, changes=changes)
    return ticket


def ticket_add_attachments(*, ticket, files, by) -> list:
    """Attach files to a ticket (same rights as editing it). Records "attached"."""
    actor = actor_of(by)
    with transaction.atomic():
        ticket = lock_ticket(ticket)
        if actor.user is not None:
            require(can_edit(actor.user, ticket) or can_handle(actor.user, ticket), _("You cannot edit this ticket."))
        stored = store_attachments(ticket=ticket, uploads=files, user=actor.user)
        audit_record(ticket, "attached", by=actor, files=[a.original_name for a in stored])
    return stored
