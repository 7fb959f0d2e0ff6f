"""A ticket made from a Slack message: linked back in that message's thread, which then feeds it."""

import pytest

from tests.fakes.slack_signing import message_action_payload, view_submission_payload
from tests.integrations.slack.conftest import drain
from tickets.models import Comment, Ticket

from .conftest import opened_views
from .test_interactivity import _create_values

pytestmark = pytest.mark.django_db

SOURCE_CHANNEL = "CFAKECHAN1"
SOURCE_TS = "1700000000.000100"


def _ticket_from_message(post, crew) -> Ticket:
    post.interaction(message_action_payload("tickets.create_from_message", "프린터 고장", user_id="UAGENT001"))
    (view,) = opened_views(post.slack)
    values = _create_values(title="프린터 고장", group=str(crew["infra"].pk))
    payload = view_submission_payload("tickets.create", values, view["private_metadata"], "UAGENT001")
    post.interaction(payload)
    return Ticket.objects.get()


def thread_reply(user, text, ts):
    return {
        "type": "message",
        "channel": SOURCE_CHANNEL,
        "user": user,
        "text": text,
        "ts": ts,
        "thread_ts": SOURCE_TS,
        "channel_type": "channel",
        "event_ts": ts,
    }


def test_the_source_message_gets_the_ticket_number_in_its_thread(post, crew):
    ticket = _ticket_from_message(post, crew)
    drain()
    replies = [m for m in post.slack.messages.get(SOURCE_CHANNEL, []) if m.get("thread_ts") == SOURCE_TS]
    assert len(replies) == 1 and ticket.number in replies[0]["text"]
    drain()  # once only
    assert len([m for m in post.slack.messages[SOURCE_CHANNEL] if m.get("thread_ts") == SOURCE_TS]) == 1


def test_later_replies_under_the_source_message_reach_the_ticket(post, crew):
    ticket = _ticket_from_message(post, crew)
    drain()
    post.event(thread_reply("UAGENT001", "토너 교체 예정입니다", "1700000200.000100"))
    post.event(thread_reply("UCOLLEAG1", "저도 안 돼요", "1700000300.000100"))  # chatter stays chat
    assert list(Comment.objects.filter(ticket=ticket).values_list("body", flat=True)) == ["토너 교체 예정입니다"]
    drain()
    # The ticket's own channel thread has not seen it, so it is posted there (not back under the source).
    infra = [m for m in post.slack.messages.get("CINFRA001", []) if m.get("thread_ts")]
    assert any("토너 교체" in m["text"] for m in infra)
    source_thread = [m for m in post.slack.messages[SOURCE_CHANNEL] if m.get("thread_ts") == SOURCE_TS]
    assert not any("토너 교체" in m["text"] for m in source_thread)
