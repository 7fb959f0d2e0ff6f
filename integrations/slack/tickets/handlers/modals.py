"""Ticket modals: building them with data, and handling their submissions.

A submission either closes the modal (empty 200), replaces it with a confirmation
(response_action "update"), or keeps it open with field errors inline
(response_action "errors"): a service's ValidationError({field: ...}) is shown under the
block of that field, a PermissionDenied / DomainError under the main input.
"""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from erp.core.errors import DomainError
from erp.people.models import Department
from erp.people.roles import is_agent
from integrations.slack.core.blocks import link, portal_url, safe_mrkdwn, truncate
from integrations.slack.inbound.modals import open_modal
from integrations.slack.inbound.payloads import message_link
from integrations.slack.inbound.replies import explain, modal_errors, validation_messages
from integrations.slack.inbound.workspace import domain_of
from integrations.slack.tickets import files
from integrations.slack.tickets.blocks import modals as modals
from integrations.slack.tickets.handlers.common import find_ticket, refresh_detail_later, slack_text_to_plain
from tickets.models import Level, Status, TicketType
from tickets.p1_policy import notice_for as p1_notice_for
from tickets.selectors import can_comment
from tickets.services import (
    allowed_next_statuses,
    plain_next_statuses,
    ticket_change_status,
    ticket_close,
    ticket_comment,
    ticket_create,
    ticket_escalate,
    ticket_resolve,
)

logger = logging.getLogger(__name__)

CREATE_FROM_MESSAGE = "tickets.create_from_message"
CREATE_SHORTCUT = "tickets.create"  # the global shortcut / Home button open the same form
DESCRIPTION_MAX = 3000
TITLE_FROM_MESSAGE = 80


# --- building ---------------------------------------------------------------------------


def _groups() -> list[tuple[str, str]]:
    return [(str(pk), name) for pk, name in Department.objects.filter(is_active=True).values_list("pk", "name")[:100]]


def create_modal_for(who, *, title: str = "", description: str = "", metadata: dict | None = None) -> dict:
    default_group = str(who.employee.department_id or "") if is_agent(who.user) else ""
    return modals.create_modal(
        title=truncate(title, 200),
        description=truncate(description, DESCRIPTION_MAX),
        type_choices=[(value, str(label)) for value, label in TicketType.choices],
        level_choices=[(value, str(label)) for value, label in Level.choices],
        groups=_groups(),
        default_group=default_group,
        metadata=metadata,
    )


def escalate_modal_for(ticket, metadata: dict) -> dict:
    return modals.escalate_modal(ticket, metadata={**metadata, "ticket": ticket.pk})


def close_modal_for(ticket, metadata: dict) -> dict:
    return modals.close_modal(ticket, metadata={**metadata, "ticket": ticket.pk})


def comment_modal_for(who, ticket, metadata: dict) -> dict:
    can_internal = can_comment(who.user, ticket, internal=True)
    return modals.comment_modal(ticket, can_internal=can_internal, metadata={**metadata, "ticket": ticket.pk})


def status_modal_for(ticket, metadata: dict) -> dict:
    # Plain moves plus "resolved" (the submission resolves through ticket_resolve with the
    # modal's text); reopening is its own action, so its targets are not offered here.
    values = plain_next_statuses(ticket.status)
    if Status.RESOLVED in allowed_next_statuses(ticket.status):
        values.append(Status.RESOLVED)
    choices = [(value, str(Status(value).label)) for value in values]
    return modals.status_modal(ticket, choices=choices, metadata={**metadata, "ticket": ticket.pk})


# --- reading a submission ------------------------------------------------------------------


def value_of(state: dict, block: str):
    """The submitted value of a block: text, chosen option value, or list of checked values."""
    element = (state.get(block) or {}).get(modals.VALUE) or {}
    kind = element.get("type")
    if kind == "static_select":
        chosen = element.get("selected_option")
        return chosen.get("value") if chosen else None
    if kind == "checkboxes":
        return [o.get("value") for o in element.get("selected_options") or []]
    if kind == "users_select":
        return element.get("selected_user")
    return element.get("value")


def _text(state: dict, block: str) -> str:
    return slack_text_to_plain(value_of(state, block) or "").strip()


def _submit(action, field_blocks: dict[str, str], main_block: str):
    """Run ``action``; map refusals onto the modal's blocks (None = success)."""
    try:
        return action(), None
    except ValidationError as exc:
        errors = {}
        for field, message in validation_messages(exc).items():
            errors[field_blocks.get(field, main_block)] = message
        return None, modal_errors(errors)
    except (PermissionDenied, DomainError) as exc:
        return None, modal_errors({main_block: explain(exc)})


def _modal_ticket(interaction, who):
    return find_ticket(who, str(interaction.private_metadata.get("ticket", "")))


def _change_ticket(interaction, who, ticket, action, field_blocks: dict[str, str], main_block: str):
    """Run a change of ``ticket``; modal errors, or None (closes the modal) after refreshing its detail."""
    _result, errors = _submit(action, field_blocks, main_block)
    if errors:
        return errors
    refresh_detail_later(interaction.private_metadata.get("response_url", ""), who, ticket)
    return None


# --- submissions ---------------------------------------------------------------------------


def submit_create(interaction, who):
    state = interaction.state_values
    meta = interaction.private_metadata
    group = None
    group_id = value_of(state, "group")
    if group_id:
        group = Department.objects.filter(pk=group_id, is_active=True).first()
        if group is None:
            return modal_errors({"group": _("Choose a group from the list.")})
    extra = {"slack_message_link": meta["source_link"]} if meta.get("source_link") else {}
    if meta.get("source_ts") and meta.get("channel"):
        # The receiver links the ticket back under the message it was made from (after commit).
        extra.update(slack_source_channel=meta["channel"], slack_source_ts=meta["source_ts"])
    if isinstance(meta.get("files"), list):
        # The message's files are fetched after commit, in the worker (integrations/slack/tickets/files.py).
        extra["slack_source_files"] = [f for f in meta["files"] if isinstance(f, str)][: files.MAX_FILES]
    ticket, errors = _submit(
        lambda: ticket_create(
            title=_text(state, "title"),
            description=_text(state, "description"),
            ticket_type=value_of(state, "ticket_type") or TicketType.INCIDENT,
            impact=value_of(state, "impact") or Level.MEDIUM,
            urgency=value_of(state, "urgency") or Level.MEDIUM,
            group=group,
            sensitive="yes" in (value_of(state, "sensitive") or []),
            by=who.actor(**extra),
        ),
        {"title": "title", "description": "description", "ticket_type": "ticket_type", "impact": "impact",
         "urgency": "urgency", "group": "group"},
        "title",
    )  # fmt: skip
    if errors:
        return errors
    text = _("%(ticket)s was created.") % {"ticket": link(portal_url(ticket.get_absolute_url()), ticket.number)}
    text += "\n" + safe_mrkdwn(ticket.title, 300)
    if notice := p1_notice_for(ticket):
        text += "\n\n:warning: " + notice
    return {"response_action": "update", "view": modals.done_modal(_("Ticket created"), text)}


def submit_comment(interaction, who):
    ticket = _modal_ticket(interaction, who)
    state = interaction.state_values
    internal = "yes" in (value_of(state, "internal") or [])
    return _change_ticket(
        interaction,
        who,
        ticket,
        lambda: ticket_comment(ticket=ticket, body=_text(state, "body"), internal=internal, by=who.actor()),
        {"body": "body"},
        "body",
    )


def submit_escalate(interaction, who):
    ticket = _modal_ticket(interaction, who)
    reason = _text(interaction.state_values, "reason")
    action = lambda: ticket_escalate(ticket=ticket, reason=reason, by=who.actor())  # noqa: E731
    return _change_ticket(interaction, who, ticket, action, {}, "reason")


def submit_close(interaction, who):
    ticket = _modal_ticket(interaction, who)
    resolution = _text(interaction.state_values, "resolution")
    if not resolution:
        return modal_errors({"resolution": _("Describe how the ticket was solved, or why it is closed.")})
    action = lambda: ticket_close(ticket=ticket, resolution=resolution, by=who.actor())  # noqa: E731
    return _change_ticket(interaction, who, ticket, action, {}, "resolution")


def submit_status(interaction, who):
    ticket = _modal_ticket(interaction, who)
    state = interaction.state_values
    status = value_of(state, "status")
    note = _text(state, "reason")
    if not status:
        return modal_errors({"status": _("Choose a status.")})
    if status == Status.RESOLVED:
        action = lambda: ticket_resolve(ticket=ticket, resolution=note, by=who.actor())  # noqa: E731
    else:
        action = lambda: ticket_change_status(ticket=ticket, status=status, reason=note, by=who.actor())  # noqa: E731
    field_blocks = {"status": "status", "resolution": "reason", "reason": "reason"}
    return _change_ticket(interaction, who, ticket, action, field_blocks, "status")


# --- shortcuts ------------------------------------------------------------------------------


def _permalink(origin) -> str:
    """The message's link, built from team domain + channel + ts, never asked of Slack.

    The shortcut's ack path already spends its Slack budget on views.open (the trigger_id
    lives 3 s), so no chat.getPermalink here: the domain comes from the payload, else from
    an earlier request of the same team or settings.SLACK_TEAM_DOMAIN; without any, no link.
    """
    if not origin.message_ts:
        return ""
    return message_link(origin.team_domain or domain_of(origin.team_id), origin.channel_id, origin.message_ts)


def create_from_message(interaction, who) -> None:
    """Message shortcut: a create form prefilled with the message text and its permalink."""
    text = slack_text_to_plain(interaction.message.get("text", "")).strip()
    permalink = _permalink(interaction.origin)
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    description = text
    if permalink:
        suffix = "\n\n" + _("From Slack: %(link)s") % {"link": permalink}
        description = truncate(text, DESCRIPTION_MAX - len(suffix)) + suffix
    # The thread the new ticket's number is posted in: the message's own thread, if it is a reply.
    source_ts = interaction.message.get("thread_ts") or interaction.message.get("ts") or interaction.origin.message_ts
    metadata = {"channel": interaction.origin.channel_id, "source_link": permalink, "source_ts": source_ts or ""}
    if file_ids := files.file_ids_of(interaction.message):
        metadata["files"] = file_ids
    view = create_modal_for(
        who, title=truncate(first_line, TITLE_FROM_MESSAGE), description=description, metadata=metadata
    )
    open_modal(interaction.trigger_id, view)


def create_shortcut(interaction, who) -> None:
    open_modal(interaction.trigger_id, create_modal_for(who, metadata={"channel": interaction.origin.channel_id}))
