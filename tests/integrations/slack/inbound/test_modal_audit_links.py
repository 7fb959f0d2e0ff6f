"""The audit trail's Slack link for what a modal did: the message the modal was opened from,
or no link at all when that message has no permalink (App Home, an ephemeral reply)."""

import json

from erp.audit.models import AuditEvent
from integrations.slack.inbound.payloads import interaction_from_payload, message_link
from tests.fakes.slack_signing import block_actions_payload, view_submission_payload

from .conftest import TICKET_CHANNEL, TICKET_TS, opened_views

CARD_LINK = "https://fake-workspace.slack.com/archives/CINFRA001/p1700000000000100"


def _open_and_submit(post, click, values):
    """Click a card button, then submit the modal Slack opened with the metadata it was given."""
    post.interaction(click)
    (view,) = opened_views(post.slack)
    payload = view_submission_payload(view["callback_id"], values, view["private_metadata"], "UAGENT001")
    post.interaction(payload)
    return json.loads(view["private_metadata"])


def test_a_modal_opened_from_the_channel_card_links_that_card(post, crew, ticket):
    click = block_actions_payload(
        "tickets.close", str(ticket.pk), user_id="UAGENT001", channel_id=TICKET_CHANNEL, message_ts=TICKET_TS
    )
    _open_and_submit(post, click, {"resolution": {"value": "원격 조치"}})
    event = AuditEvent.objects.filter(action="status_changed").latest("id")
    assert event.source == "slack"
    assert event.context["slack_message_link"] == CARD_LINK


def test_a_modal_opened_from_a_thread_reply_links_into_the_thread(post, crew, ticket):
    reply_ts = "1700000000.000300"
    click = block_actions_payload(
        "tickets.escalate", str(ticket.pk), user_id="UAGENT001", channel_id=TICKET_CHANNEL, message_ts=reply_ts
    )
    click["message"]["thread_ts"] = TICKET_TS
    _open_and_submit(post, click, {"reason": {"value": "현장 지원 필요"}})
    event = AuditEvent.objects.filter(action="escalated").latest("id")
    assert event.context["slack_message_link"] == (
        "https://fake-workspace.slack.com/archives/CINFRA001/p1700000000000300"
        f"?thread_ts={TICKET_TS}&cid={TICKET_CHANNEL}"
    )


def test_a_modal_opened_from_an_ephemeral_reply_links_no_message(post, crew, ticket):
    """/fs ticket's detail is ephemeral: its ts has no permalink, so no message link is kept
    (the channel the command was typed in is, under its own name)."""
    click = block_actions_payload("tickets.close", str(ticket.pk), user_id="UAGENT001", channel_id=TICKET_CHANNEL)
    click["container"]["is_ephemeral"] = True
    click["response_url"] = post.response_url()
    meta = _open_and_submit(post, click, {"resolution": {"value": "원격 조치"}})
    assert not meta.get("ts") and meta["channel"] == TICKET_CHANNEL
    event = AuditEvent.objects.filter(action="status_changed").latest("id")
    assert "slack_message_link" not in event.context
    assert event.context["slack_channel_link"] == "https://fake-workspace.slack.com/archives/CINFRA001"


def test_a_modal_without_an_origin_links_nothing(post, crew, ticket):
    """App Home and global shortcuts open modals outside any channel: no link, not a wrong one."""
    values = {"resolution": {"value": "원격 조치"}}
    post.interaction(view_submission_payload("tickets.close", values, json.dumps({"ticket": ticket.pk}), "UAGENT001"))
    event = AuditEvent.objects.filter(action="status_changed").latest("id")
    assert event.source == "slack"
    assert "slack_message_link" not in event.context and "slack_channel_link" not in event.context


def test_view_origin_ignores_metadata_that_is_not_text():
    payload = view_submission_payload("x", {}, json.dumps({"channel": ["C1"], "ts": 5}), "UAGENT001")
    origin = interaction_from_payload(payload).origin
    assert origin.channel_id == "" and origin.message_ts == ""
    payload = view_submission_payload("x", {}, "not json", "UAGENT001")
    assert interaction_from_payload(payload).origin.link == ""


def test_a_button_inside_a_modal_keeps_the_modals_origin():
    """block_actions from a modal are not submissions: their origin is the click's own."""
    payload = block_actions_payload("x", "1", user_id="UAGENT001")
    assert interaction_from_payload(payload).origin.link.endswith("/p1700000000000100")


def test_message_link_of_a_thread_reply():
    assert message_link("team", "C1", "1.000200", "1.000100") == (
        "https://team.slack.com/archives/C1/p1000200?thread_ts=1.000100&cid=C1"
    )
    assert message_link("team", "C1", "1.000100", "1.000100") == "https://team.slack.com/archives/C1/p1000100"
    assert message_link("", "C1", "1.000100") == ""
