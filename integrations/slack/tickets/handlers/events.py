"""Events for tickets: a reply in the thread of a ticket's Slack message becomes a comment.

Which replies count is the tickets app's rule (``tickets.selectors.can_comment_from_thread``:
agents' replies; chatter of others stays in Slack). The comment is
written with source slack and an actor context ``slack_origin = "thread_reply"`` plus the
thread's channel/ts, so the outbound receivers can tell it already IS in that thread and
must not echo it back as a bot reply (see integrations.slack.tickets.receivers.on_commented).
"""

import logging

from django.contrib.contenttypes.models import ContentType

from erp.people.selectors import employee_by_slack_id
from integrations.slack.core.models import MessageRef
from integrations.slack.inbound.identity import SlackUser
from integrations.slack.inbound.payloads import SlackOrigin
from integrations.slack.inbound.workspace import event_message_link
from integrations.slack.tickets.handlers.common import slack_text_to_plain
from tickets.models import Ticket
from tickets.selectors import can_comment_from_thread

logger = logging.getLogger(__name__)

THREAD_REPLY = "thread_reply"
# Message subtypes that are real human replies; edits, deletions, joins etc. are not.
REPLY_SUBTYPES = {"", "thread_broadcast", "file_share"}


def is_thread_reply(event: dict) -> bool:
    thread_ts = event.get("thread_ts")
    return bool(thread_ts and event.get("ts") != thread_ts and event.get("user") and event.get("channel"))


def ticket_of_thread(channel_id: str, thread_ts: str) -> Ticket | None:
    """The ticket whose Slack message (recorded by the outbound layer) started this thread."""
    ref = (
        MessageRef.objects.filter(
            channel_id=channel_id, ts=thread_ts, content_type=ContentType.objects.get_for_model(Ticket)
        )
        .only("object_id")
        .first()
    )
    if ref is None or not ref.object_id.isdigit():
        return None
    return Ticket.objects.filter(pk=int(ref.object_id)).first()


def on_message(event) -> bool:
    """message.channels / message.groups: thread replies that count (see module doc) → ticket comments.

    Returns False (receipt marked "ignored") for anything else. Not idempotent by itself:
    the event_id receipt makes each delivery run once.
    """
    from tickets.services import ticket_comment

    data = event.event
    if data.get("subtype", "") not in REPLY_SUBTYPES or not is_thread_reply(data):
        return False
    ticket = ticket_of_thread(data["channel"], data["thread_ts"])
    if ticket is None:
        return False
    employee = employee_by_slack_id(data["user"])
    if employee is None or not can_comment_from_thread(employee.user, ticket):
        return False
    body = slack_text_to_plain(data.get("text", "")).strip()
    if not body:
        return False
    origin = SlackOrigin(user_id=data["user"], team_id=event.team_id, channel_id=data["channel"], message_ts=data["ts"])
    who = SlackUser(employee=employee, origin=origin)
    link = event_message_link(event.team_id, data["channel"], data["ts"], data["thread_ts"])
    actor = who.actor(slack_origin=THREAD_REPLY, slack_thread_ts=data["thread_ts"], slack_message_link=link)
    try:
        ticket_comment(ticket=ticket, body=body, by=actor)
    except Exception as exc:  # a refusal (closed ticket, no rights) must not make Slack retry
        from integrations.slack.inbound.replies import explain

        if explain(exc) is None:
            raise
        logger.info("Thread reply on %s not stored: %s", ticket.number, explain(exc))
        return False
    return True


def accepts(event: dict) -> bool:
    """Cheap pre-filter before the event receipt is written: only human thread replies matter."""
    return event.get("subtype", "") in REPLY_SUBTYPES and is_thread_reply(event)
