"""Inquiry notifications: what each inquiries domain signal sends to Slack.

They run after commit in the worker, from the inquiry as it is then (core/notify.py):
inside the inquiry's transaction the signal only records one notify row. Quarantined
inquiries send nothing until released; internal notes never leave the portal.
"""

import logging

from django.db import transaction

from erp.audit.actor import as_actor
from erp.people.names import display_name
from inquiries.conf import setting
from inquiries.models import Status
from integrations.slack.core.kit import changed_shown
from integrations.slack.core.outbox import enqueue, message_key_for, posted_targets, update_everywhere
from integrations.slack.inquiries import blocks, burst
from integrations.slack.inquiries.routing import route

logger = logging.getLogger(__name__)


def card_context(inquiry, mentions=()) -> blocks.CardContext:
    assignee = inquiry.assignee
    employee = getattr(assignee, "employee", None) if assignee is not None else None
    tickets = [link.ticket.number for link in inquiry.ticket_links.select_related("ticket").order_by("pk")]
    return blocks.CardContext(
        assignee_name=display_name(assignee) if assignee is not None else "",
        assignee_slack_id=getattr(employee, "slack_user_id", None) or "",
        tickets=tickets,
        mentions=list(mentions),
    )


def _by(by) -> str:
    return as_actor(by).label


def post_card(inquiry, kind: str) -> list[str]:
    """Post the card to the routed channel(s) it is not in yet; returns the channels."""
    routes = route(inquiry)
    key = message_key_for(inquiry)
    existing = set(posted_targets(key))
    text, card = blocks.inquiry_card(inquiry, card_context(inquiry, routes.mentions))
    channels = [channel for channel in routes.channels if channel not in existing]
    for channel in channels:
        # Expanded in the worker: while the channel has cards queued, the slot is reserved now.
        queued = enqueue(
            kind=kind, target=channel, text=text, blocks=card, record=inquiry, message_key=key, reserve_slot=True
        )
        _note_for_summary(channel, queued)
    return channels


def _note_for_summary(channel: str, card) -> None:
    """A channel with cards queued up gets one summary card; a failure there never costs the
    inquiry its own card (a savepoint, logged)."""
    try:
        with transaction.atomic():
            burst.note_card(channel, card)
    except Exception:
        logger.exception("Inquiry burst summary for %s failed; the card is queued all the same", channel)


def refresh(inquiry, kind: str, note: tuple[str, list] | None = None) -> None:
    """Update every posted copy of the card in place, with ``note`` in its thread."""
    text, card = blocks.inquiry_card(inquiry, card_context(inquiry))
    update_everywhere(kind=kind, record=inquiry, text=text, blocks=card, reply=note)


def on_received(inquiry, by=None, **event):
    if inquiry.status != Status.SPAM:
        post_card(inquiry, "inquiries.received")


def on_released(inquiry, by=None, **event):
    if inquiry.status != Status.SPAM and not posted_targets(message_key_for(inquiry)):
        post_card(inquiry, "inquiries.received")


def on_assigned(inquiry, by=None, new_assignee=None, **event):
    name = display_name(new_assignee) if new_assignee is not None else ""
    refresh(inquiry, "inquiries.assigned", blocks.assignment_note(assignee_name=name, by_label=_by(by)))


def on_status_changed(inquiry, by=None, old_status="", new_status="", **event):
    labels = dict(Status.choices)
    note = blocks.status_note(
        old_label=str(labels.get(old_status, old_status)),
        new_label=str(labels.get(new_status, new_status)),
        by_label=_by(by),
    )
    refresh(inquiry, "inquiries.status_changed", note)


def update_may_show(changes=None, **event) -> bool:
    """In the transaction: only edits of what the card shows cost an outbox row."""
    return changed_shown(blocks.inquiry_card, changes)


def on_updated(inquiry, by=None, changes=None, **event):
    if changed_shown(blocks.inquiry_card, changes):
        refresh(inquiry, "inquiries.updated")


def on_shared(inquiry, by=None, **event):
    refresh(inquiry, "inquiries.shared", blocks.shared_note(by_label=_by(by)))
    channel = setting("INQUIRIES_MARKETING_CHANNEL")
    if channel:
        text, summary = blocks.marketing_summary(inquiry)
        key = message_key_for(inquiry, "marketing")
        enqueue(
            kind="inquiries.marketing_summary",
            target=channel,
            text=text,
            blocks=summary,
            record=inquiry,
            message_key=key,
            once=True,
        )


def on_converted(inquiry, by=None, ticket=None, **event):
    number = ticket.number if ticket is not None else "-"
    refresh(inquiry, "inquiries.converted", blocks.converted_note(ticket_number=number, by_label=_by(by)))


def on_answered(inquiry, by=None, **event):
    refresh(inquiry, "inquiries.answered", blocks.answered_note(by_label=_by(by)))
