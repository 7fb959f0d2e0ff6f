"""Ticket notifications: what each tickets domain signal (tickets/signals.py) sends to Slack.

These run after commit, in the worker, from the ticket as it is then: inside the ticket's
transaction the signal only records a notify row (integrations.slack.core.notify; declared
in module.py). Here routing runs, Block Kit is rendered and the real outbox rows are queued.
A handler that raises leaves its notify row failed, with the error, in the Slack outbox.

Privacy: sensitive tickets never reach a channel (only a DM with number and link to the
assignee and, on resolution, the requester); internal notes are never sent at all.
"""

from django.utils.translation import gettext

from erp.audit.actor import as_actor
from erp.people.names import display_name
from integrations.slack.core.channel_rules import mention_markup, routes_for_ticket
from integrations.slack.core.kit import changed_shown, dm
from integrations.slack.core.outbox import enqueue, message_key_for, posted_targets, update_everywhere
from integrations.slack.core.redaction import redact_posted
from integrations.slack.tickets import incidents
from integrations.slack.tickets.blocks import message as blocks
from integrations.slack.tickets.blocks.message import Person, TicketContext
from tickets.models import SLATarget, Status
from tickets.oncall.selectors import on_call_now

# --- context ------------------------------------------------------------------------------


def person(user) -> Person | None:
    if user is None:
        return None
    employee = getattr(user, "employee", None)
    return Person(name=display_name(user), slack_user_id=getattr(employee, "slack_user_id", None))


def ticket_context(ticket, mentions=()) -> TicketContext:
    return TicketContext(
        requester=person(ticket.requester),
        assignee=person(ticket.assignee),
        group_name=ticket.group.name if ticket.group else "",
        mentions=[mention_markup(m) for m in mentions],
    )


def _by_label(by) -> str:
    return as_actor(by).label


def render_main(ticket) -> tuple[str, list]:
    """The channel message as of now; a sensitive ticket only ever shows number and link."""
    if ticket.sensitive:
        return blocks.sensitive_notice(ticket, _sensitive_reason())
    # Same rules as at creation, so the mentions stay on the message when it is updated.
    routes = routes_for_ticket("tickets.created", ticket, moment=ticket.created_at)
    return blocks.ticket_message(ticket, ticket_context(ticket, routes.mentions))


def _sensitive_reason() -> str:
    return gettext("A sensitive ticket was updated.")


def refresh_channels(ticket, kind: str, reply: tuple[str, list] | None = None) -> None:
    text, message_blocks = render_main(ticket)
    update_everywhere(
        kind=kind, record=ticket, text=text, blocks=message_blocks, reply=None if ticket.sensitive else reply
    )
    if ticket.sensitive:  # thread replies and alerts already posted say number and link only too
        keep = (message_key_for(ticket), incidents.critical_key(ticket), incidents.board_key(ticket))
        redact_posted(ticket, kind="tickets.redacted", text=text, blocks=message_blocks, keep_keys=keep)
    if not incidents.incident_exists(ticket):
        return
    if ticket.sensitive:
        incidents.redact(ticket, text, message_blocks)
    else:
        ctx, on_call = ticket_context(ticket), on_call_now(ticket.group)
        incidents.refresh_critical(ticket, ctx, on_call, reply)
        incidents.update_board(ticket, ctx, on_call)


def maybe_open_incident(ticket) -> None:
    """P1 (and not sensitive: an incident channel has many readers) → the incident workflow."""
    if ticket.priority == "P1" and not ticket.sensitive:
        incidents.open_incident(ticket, ticket_context(ticket), on_call_now(ticket.group))


def post_to_routes(ticket, kind: str, *, skip_existing: bool = False) -> list[str]:
    """Post the main message to the channels routed for ``kind``; returns the channels."""
    routes = routes_for_ticket(kind, ticket)
    key = message_key_for(ticket)
    existing = set(posted_targets(key)) if skip_existing else set()
    text, message_blocks = blocks.ticket_message(ticket, ticket_context(ticket, routes.mentions))
    channels = [channel for channel in routes.channels if channel not in existing]
    for channel in channels:
        enqueue(kind=kind, target=channel, text=text, blocks=message_blocks, record=ticket, message_key=key)
    return channels


# --- receivers ----------------------------------------------------------------------------


def on_created(ticket, by=None, **kwargs):
    if ticket.sensitive:
        return  # the assignee learns of it by DM (ticket_assigned); nothing goes to a channel
    post_to_routes(ticket, "tickets.created")
    maybe_open_incident(ticket)


def on_assigned(ticket, by=None, new_assignee=None, **kwargs):
    if new_assignee is not None and ticket.assignee_id == new_assignee.pk:

        def render():
            if ticket.sensitive:
                return blocks.sensitive_notice(ticket, gettext("A sensitive ticket was assigned to you."))
            return blocks.assigned_dm(ticket, ticket_context(ticket), by_label=_by_label(by))

        dm("tickets.assigned", new_assignee, render, record=ticket)
        if not ticket.sensitive:
            incidents.invite_to_incident(ticket, getattr(person(new_assignee), "slack_user_id", None))
    refresh_channels(
        ticket, "tickets.assigned", blocks.assignment_note(assignee=person(new_assignee), by_label=_by_label(by))
    )


def on_status_changed(ticket, by=None, old_status="", new_status="", reason="", **kwargs):
    note = blocks.status_note(
        ticket,
        old_label=Status(old_status).label if old_status in Status.values else old_status,
        new_label=Status(new_status).label if new_status in Status.values else new_status,
        by_label=_by_label(by),
        reason=reason,
    )
    refresh_channels(ticket, "tickets.status_changed", note)


def on_resolved(ticket, by=None, **kwargs):
    dm(
        "tickets.resolved",
        ticket.requester,
        lambda: blocks.rating_request(ticket, ticket_context(ticket)),
        record=ticket,
    )
    if not ticket.sensitive:
        incidents.post_summary(ticket, ticket_context(ticket))


def comment_may_show(comment=None, **event) -> bool:
    """In the transaction: internal notes never leave the portal, so they cost no outbox row."""
    return comment is not None and not comment.internal


def on_commented(ticket, by=None, comment=None, **kwargs):
    if comment is None or comment.internal or ticket.sensitive:
        return  # internal notes never leave the portal
    if as_actor(by).context.get("slack_origin") == "thread_reply":
        # Written in the Slack thread itself: echoing it back would duplicate it there.
        refresh_channels(ticket, "tickets.commented")
        return
    note = blocks.comment_note(author=person(comment.author) or Person("—"), body=comment.body)
    refresh_channels(ticket, "tickets.commented", note)


def on_escalated(ticket, by=None, old_level=0, new_level=0, new_group=None, reason="", **kwargs):
    note = blocks.escalation_note(
        ticket,
        old_level=old_level,
        new_level=new_level,
        new_group=new_group.name if new_group else "",
        by_label=_by_label(by),
        reason=reason,
    )
    refresh_channels(ticket, "tickets.escalated", note)
    if not ticket.sensitive:
        # The new group hears about it in its own routed channels (once per channel).
        post_to_routes(ticket, "tickets.escalated", skip_existing=True)


def update_may_show(changes=None, **event) -> bool:
    """In the transaction: only edits of what the message shows (or of the priority) notify."""
    return changed_shown(blocks.ticket_message, changes) or "priority" in (changes or {})


def on_updated(ticket, by=None, changes=None, **kwargs):
    if (changes or {}).get("sensitive") == [True, False] and as_actor(by).user != ticket.requester:
        # Declassified by someone else (a group manager or an admin): the requester is told.
        def render():
            reason = gettext("%(name)s cleared the sensitive flag: the ticket's group can now see it.")
            return blocks.sensitive_notice(ticket, reason % {"name": _by_label(by)})

        dm("tickets.declassified", ticket.requester, render, record=ticket)
    if changed_shown(blocks.ticket_message, changes):
        # Also redacts messages already posted when a ticket is marked sensitive.
        refresh_channels(ticket, "tickets.updated")
    if "priority" in (changes or {}):
        maybe_open_incident(ticket)


def _on_sla(ticket, *, target: str, due, breached: bool) -> None:
    kind = "tickets.sla_breached" if breached else "tickets.sla_at_risk"
    key = f"{message_key_for(ticket)}:{kind}:{target}"
    label = SLATarget(target).label if target in SLATarget.values else target
    if not ticket.sensitive:
        routes = routes_for_ticket(kind, ticket)
        text, message_blocks = blocks.sla_alert(
            ticket, ticket_context(ticket, routes.mentions), target_label=label, due=due, breached=breached
        )
        for channel in routes.channels:
            enqueue(
                kind=kind, target=channel, text=text, blocks=message_blocks, record=ticket, message_key=key, once=True
            )

    def render():
        if ticket.sensitive:
            return blocks.sensitive_notice(ticket, gettext("SLA breached.") if breached else gettext("SLA at risk."))
        return blocks.sla_alert(ticket, ticket_context(ticket), target_label=label, due=due, breached=breached)

    dm(kind, ticket.assignee, render, record=ticket, message_key=key, once=True)


def on_sla_at_risk(ticket, by=None, target="", due=None, **kwargs):
    _on_sla(ticket, target=target, due=due, breached=False)


def on_sla_breached(ticket, by=None, target="", due=None, **kwargs):
    _on_sla(ticket, target=target, due=due, breached=True)
