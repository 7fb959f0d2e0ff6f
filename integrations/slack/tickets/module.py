"""How the tickets domain plugs into Slack: everything it declares, in one place."""

from django.utils.translation import gettext_lazy as _

from integrations.slack.core.home import HomeSection
from integrations.slack.core.modules import (
    Command,
    DeliveryOperation,
    Event,
    Job,
    Notification,
    Scope,
    Shortcut,
    SlackModule,
    View,
)
from integrations.slack.tickets import files, incidents, receivers
from integrations.slack.tickets.blocks import message as message_blocks
from integrations.slack.tickets.blocks import modals as modal_blocks
from integrations.slack.tickets.blocks.home import NEW_TICKET
from integrations.slack.tickets.digest import DIGEST
from integrations.slack.tickets.handlers import actions, command, events, modals
from integrations.slack.tickets.home import new_ticket, tickets_section
from integrations.slack.tickets.tasks import daily_ticket_digest
from tickets import signals
from tickets.incident_links import register_incident_link
from tickets.models import Ticket

# Each is one small outbox row inside the ticket's transaction; routing and rendering run in
# the worker from the ticket as it is then (integrations.slack.core.notify).


def _notification(signal, kind, handler, when=None) -> Notification:
    return Notification(signal, kind, handler, sender=Ticket, record_arg="ticket", when=when)


_NOTIFICATIONS = (
    _notification(signals.ticket_created, "tickets.created", receivers.on_created),
    _notification(signals.ticket_assigned, "tickets.assigned", receivers.on_assigned),
    _notification(signals.ticket_status_changed, "tickets.status_changed", receivers.on_status_changed),
    _notification(signals.ticket_resolved, "tickets.resolved", receivers.on_resolved),
    _notification(signals.ticket_closed, "tickets.closed", receivers.on_closed, when=receivers.closed_without_resolve),
    _notification(
        signals.ticket_commented, "tickets.commented", receivers.on_commented, when=receivers.comment_may_show
    ),
    _notification(signals.ticket_escalated, "tickets.escalated", receivers.on_escalated),
    _notification(signals.ticket_updated, "tickets.updated", receivers.on_updated, when=receivers.update_may_show),
    _notification(signals.ticket_sla_at_risk, "tickets.sla_at_risk", receivers.on_sla_at_risk),
    _notification(signals.ticket_sla_breached, "tickets.sla_breached", receivers.on_sla_breached),
)

slack_module = SlackModule(
    label="tickets",
    notifications=_NOTIFICATIONS,
    commands=(
        Command(
            "SLACK_TICKET_COMMAND",
            command.handle,
            description=_("IT tickets: create, assign, status, comment, search (help / 도움말)"),
            usage_hint=_("help | ticket INC-12 | create title | list | search words | oncall"),
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
            name=_("Create ticket from message"),
            description=_("Turn this message into an IT ticket"),
        ),
        Shortcut(
            modals.CREATE_SHORTCUT,
            modals.create_shortcut,
            name=_("New ticket"),
            description=_("Open the new IT ticket form"),
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
        DeliveryOperation(files.SOURCE_FILES, files.fetch_source_files, "Attach a Slack message's files to its ticket"),
    ),
    # From 09:00 KST every 15 minutes (a missed run is caught up once); the task skips days off.
    jobs=(Job(daily_ticket_digest.name, schedule=DIGEST.beat_schedule),),
    scopes=(
        Scope("channels:history", "message.channels: thread replies on ticket messages become comments"),
        Scope("channels:manage", "incident channels: conversations.create / invite"),
        Scope("commands", "the ticket slash command"),
        Scope("groups:history", "message.groups: thread replies in private channels"),
        Scope("files:read", "message shortcut: files.info and the download of the message's files"),
        Scope("groups:write", "invite to private incident channels"),
        Scope("pins:write", "pin the incident summary"),
    ),
)

# The portal's P1 banner links the incident channel (tickets.incident_links knows no Slack).
register_incident_link(incidents.incident_channel_link)
