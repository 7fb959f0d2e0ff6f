"""How the tickets domain plugs into Slack: everything it declares, in one place."""

from integrations.slack.core.home import HomeSection
from integrations.slack.core.modules import (
    Command,
    DeliveryOperation,
    Event,
    Job,
    Receiver,
    Scope,
    Shortcut,
    SlackModule,
    View,
)
from integrations.slack.tickets import incidents, receivers
from integrations.slack.tickets.blocks import message as message_blocks
from integrations.slack.tickets.blocks import modals as modal_blocks
from integrations.slack.tickets.blocks.home import NEW_TICKET
from integrations.slack.tickets.digest import DIGEST
from integrations.slack.tickets.handlers import actions, command, events, modals
from integrations.slack.tickets.home import new_ticket, tickets_section
from integrations.slack.tickets.tasks import daily_ticket_digest
from tickets import signals
from tickets.models import Ticket

_SIGNALS = (
    (signals.ticket_created, receivers.on_created),
    (signals.ticket_assigned, receivers.on_assigned),
    (signals.ticket_status_changed, receivers.on_status_changed),
    (signals.ticket_resolved, receivers.on_resolved),
    (signals.ticket_commented, receivers.on_commented),
    (signals.ticket_escalated, receivers.on_escalated),
    (signals.ticket_updated, receivers.on_updated),
    (signals.ticket_sla_at_risk, receivers.on_sla_at_risk),
    (signals.ticket_sla_breached, receivers.on_sla_breached),
)

slack_module = SlackModule(
    label="tickets",
    receivers=tuple(Receiver(signal, handler, sender=Ticket) for signal, handler in _SIGNALS),
    commands=(
        Command(
            "SLACK_TICKET_COMMAND",
            command.handle,
            description="IT tickets: create, assign, status, comment, search (help / 도움말)",
            usage_hint="help | ticket INC-12 | create title | list | search words",
        ),
    ),
    actions={
        message_blocks.ASSIGN_ME: actions.assign_me,
        message_blocks.CHANGE_STATUS: actions.change_status,
        message_blocks.COMMENT: actions.comment,
        message_blocks.ESCALATE: actions.escalate,
        message_blocks.CLOSE: actions.close,
        message_blocks.RATE: actions.rate,
        NEW_TICKET: new_ticket,
    },
    ignored_actions=(message_blocks.OPEN_IN_PORTAL,),
    views=(
        View(modal_blocks.CREATE, modals.submit_create),
        View(modal_blocks.COMMENT, modals.submit_comment),
        View(modal_blocks.ESCALATE, modals.submit_escalate),
        View(modal_blocks.CLOSE, modals.submit_close),
        View(modal_blocks.CHANGE_STATUS, modals.submit_status),
    ),
    shortcuts=(
        Shortcut(
            modals.CREATE_FROM_MESSAGE,
            modals.create_from_message,
            name="Create ticket from message",
            description="Turn this message into an IT ticket",
        ),
        Shortcut(
            modals.CREATE_SHORTCUT,
            modals.create_shortcut,
            name="New ticket",
            description="Open the new IT ticket form",
            kind="global",
        ),
    ),
    # Agents' replies in a ticket message's thread become comments.
    events=(
        Event(
            "message",
            events.on_message,
            accepts=events.accepts,
            subscriptions=("message.channels", "message.groups", "message.im"),
        ),
    ),
    home_sections=(HomeSection("tickets", order=10, build=tickets_section),),
    operations=(
        DeliveryOperation(incidents.INCIDENT_OPEN, incidents.open_incident_channel, "Open an incident channel"),
        DeliveryOperation(incidents.INCIDENT_INVITE, incidents.invite_handler, "Invite people to an incident channel"),
    ),
    # From 09:00 KST every 15 minutes (a missed run is caught up once); the task skips days off.
    jobs=(Job(daily_ticket_digest.name, schedule=DIGEST.beat_schedule),),
    scopes=(
        Scope("channels:history", "message.channels: thread replies on ticket messages become comments"),
        Scope("channels:manage", "incident channels: conversations.create / invite"),
        Scope("commands", "the ticket slash command"),
        Scope("groups:history", "message.groups: thread replies in private channels"),
        Scope("groups:write", "invite to private incident channels"),
        Scope("pins:write", "pin the incident summary"),
    ),
)
