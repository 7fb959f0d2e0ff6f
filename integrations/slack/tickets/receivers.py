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
from integrations.slack.core.models import MessageRef, Operation
from integrations.slack.core.outbox import attach_record, enqueue, message_key_for, posted_targets, update_everywhere
from integrations.slack.core.redaction import redact_posted
from integrations.slack.tickets import files, incidents
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
    """P1 → the incident workflow; a sensitive P1 takes the private path (incidents module doc)."""
    if ticket.priority != "P1":
        return
    on_call = on_call_now(ticket.group)
    if not ticket.sensitive:
        incidents.open_incident(ticket, ticket_context(ticket), on_call)
        return
    if incidents.incident_exists(ticket):
        return
    assignee = person(ticket.assignee)
    notice = blocks.sensitive_notice(ticket, gettext("Sensitive P1 incident: details are in the portal."))
    incidents.open_private_incident(ticket, notice, on_call, getattr(assignee, "slack_user_id", None))
    if on_call is not None and on_call.user_id != ticket.assignee_id:
        dm(
            "tickets.p1_private",
            on_call.user,
            lambda: blocks.sensitive_notice(
                ticket, gettext("Sensitive P1 incident: you were invited to its private channel.")
            ),
            record=ticket,
            once=True,
        )


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


def _filed_for_requester(ticket, by) -> bool:
    """Opened from Slack (a shortcut on their message, a modal) by someone else than the
    requester: a DM tells them it exists (the portal shows it to them anyway)."""
    user = as_actor(by).user
    return ticket.source == "slack" and (user is None or user.pk != ticket.requester_id)


def on_created(ticket, by=None, **kwargs):
    # The source message's files (message shortcut): fetched by the worker, posted nowhere.
    files.queue_source_files(ticket, as_actor(by))
    if _filed_for_requester(ticket, by):
        dm("tickets.created_for_you", ticket.requester, lambda: _created_dm(ticket), record=ticket)
    if ticket.sensitive:
        # The assignee learns of it by DM (ticket_assigned); nothing goes to a public channel.
        maybe_open_incident(ticket)
        return
    post_to_routes(ticket, "tickets.created")
    link_back_to_source(ticket, by)
    maybe_open_incident(ticket)


def link_back_to_source(ticket, by) -> None:
    """A ticket made from a Slack message (message shortcut): a thread reply under that message
    names the ticket, and the thread is remembered as the ticket's so later replies in it
    reach the ticket (handlers/events.ticket_of_thread) like replies under its own post."""
    context = as_actor(by).context
    channel, ts = context.get("slack_source_channel"), context.get("slack_source_ts")
    if not channel or not ts:
        return
    key = message_key_for(ticket, "source")
    ref = MessageRef(message_key=key, target=channel, channel_id=channel, ts=ts)
    attach_record(ref, ticket)
    MessageRef.objects.get_or_create(
        message_key=key,
        target=channel,
        defaults={"channel_id": channel, "ts": ts, "content_type": ref.content_type, "object_id": ref.object_id},
    )
    text, message_blocks = blocks.source_link_note(ticket)
    enqueue(
        kind="tickets.source_linked",
        target=channel,
        text=text,
        blocks=message_blocks,
        record=ticket,
        message_key=key,
        operation=Operation.REPLY,
        once=True,
    )


def _created_dm(ticket):
    if ticket.sensitive:
        return blocks.sensitive_notice(ticket, gettext("A ticket was opened for you."))
    return blocks.requester_created_dm(ticket)


def _assigned_by_label(by, auto: bool) -> str | None:
    """Who to name as the assigner: round-robin runs under the requester's actor (they filed the
    ticket), but the requester did not choose the assignee, so the note names the rule instead."""
    return None if auto else _by_label(by)


def _assigned_themselves(by, new_assignee) -> bool:
    user = as_actor(by).user
    return user is not None and new_assignee is not None and user.pk == new_assignee.pk


def on_assigned(ticket, by=None, new_assignee=None, auto=False, **kwargs):
    by_label = _assigned_by_label(by, auto)
    if new_assignee is not None and ticket.assignee_id == new_assignee.pk:

        def render():
            if ticket.sensitive:
                return blocks.sensitive_notice(ticket, gettext("A sensitive ticket was assigned to you."))
            return blocks.assigned_dm(ticket, ticket_context(ticket), by_label=by_label)

        if not _assigned_themselves(by, new_assignee):
            # Taking a ticket yourself needs no DM telling you that you took it.
            dm("tickets.assigned", new_assignee, render, record=ticket)
        if not ticket.sensitive:
            incidents.invite_to_incident(ticket, getattr(person(new_assignee), "slack_user_id", None))
    refresh_channels(
        ticket,
        "tickets.assigned",
        blocks.assignment_note(assignee=person(new_assignee), by_label=by_label or _by_label(by), auto=auto),
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


def closed_without_resolve(resolved_before=False, **event) -> bool:
    """In the transaction: a ticket closed after its resolve step already told the requester."""
    return not resolved_before


def on_closed(ticket, by=None, **kwargs):
    """Closed straight away (web close, ``/fs close``): the requester still hears of it and is
    asked for a rating, as after a resolve; the incident summary is posted the same way."""
    dm(
        "tickets.closed",
        ticket.requester,
        lambda: blocks.rating_request(ticket, ticket_context(ticket), closed=True),
        record=ticket,
    )
    if not ticket.sensitive:
        incidents.post_summary(ticket, ticket_context(ticket))


def comment_may_show(comment=None, **event) -> bool:
    """In the transaction: internal notes never leave the portal, so they cost no outbox row."""
    return comment is not None and not comment.internal


def on_commented(ticket, by=None, comment=None, **kwargs):
    on_commented_for_requester(ticket, by=by, comment=comment)
    if comment is None or comment.internal or ticket.sensitive:
        return  # internal notes never leave the portal
    context = as_actor(by).context
    if context.get("slack_origin") == "thread_reply" and not _in_source_thread(ticket, context):
        # Written in the Slack thread itself: echoing it back would duplicate it there.
        refresh_channels(ticket, "tickets.commented")
        return
    note = blocks.comment_note(author=person(comment.author) or Person("—"), body=comment.body)
    refresh_channels(ticket, "tickets.commented", note)


def on_commented_for_requester(ticket, by=None, comment=None, **kwargs):
    """A public reply by someone else reaches the requester by DM, wherever it was written."""
    if comment is None or comment.internal or comment.author_id == ticket.requester_id:
        return

    def render():
        if ticket.sensitive:
            return blocks.sensitive_notice(ticket, gettext("There is a new reply on your ticket."))
        return blocks.requester_reply_dm(ticket, author=person(comment.author) or Person("—"), body=comment.body)

    dm("tickets.replied", ticket.requester, render, record=ticket)


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


def _in_source_thread(ticket, context) -> bool:
    """Written under the message the ticket was made from: the ticket's own thread has not seen it."""
    thread_ts = context.get("slack_thread_ts")
    key = message_key_for(ticket, "source")
    return bool(thread_ts) and MessageRef.objects.filter(message_key=key, ts=thread_ts).exists()


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
