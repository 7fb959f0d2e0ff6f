"""Ticket notifications end to end: ticket services → receivers → outbox → FakeSlackAPI."""

from datetime import timedelta

import pytest

from erp.audit.actor import Actor
from integrations.slack.core.models import DeliveryStatus, MessageRef, Operation, RoutingRule, SlackMessage
from integrations.slack.tickets.blocks.message import RATE
from tickets.models import Level, Status
from tickets.services import (
    check_ticket_sla,
    ticket_assign,
    ticket_change_status,
    ticket_comment,
    ticket_escalate,
    ticket_resolve,
    ticket_update,
)

from .conftest import drain, expand_notifications

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def top_level(slack, channel):
    return [m for m in slack.messages.get(channel, []) if not m.get("thread_ts")]


def all_text(message) -> str:
    return message["text"] + str(message.get("blocks"))


def test_new_ticket_posts_to_the_group_channel_and_dms_the_assignee(slack, people, new_ticket):
    ticket = new_ticket(assignee=people["agent"])
    rows = SlackMessage.objects.order_by("pk")
    assert [(r.kind, r.target, r.operation) for r in rows] == [
        ("tickets.created", "CINFRA001", "post"),
        ("tickets.assigned", "UAGENT001", "post"),
        ("tickets.assigned", "CINFRA001", "reply"),  # the thread log is kept whole
    ]
    # The assignment happened before anything was sent: the channel post was re-rendered, no update queued.
    assert "UAGENT001" in str(rows[0].blocks)
    drain()
    [post] = top_level(slack, "CINFRA001")
    assert ticket.number in post["text"] and "VPN" in all_text(post)
    actions = [e for b in post["blocks"] if b["type"] == "actions" for e in b["elements"]]
    ids = {e["action_id"] for e in actions}
    assert {"tickets.assign_me", "tickets.change_status", "tickets.comment", "tickets.escalate", "tickets.close"} <= ids
    assert all(e["value"] == str(ticket.pk) for e in actions if "value" in e)
    link = next(e for e in actions if e.get("url"))
    assert link["url"] == f"http://testserver{ticket.get_absolute_url()}"
    dm_channel = SlackMessage.objects.get(kind="tickets.assigned", target="UAGENT001").channel_id
    assert dm_channel.startswith("D") and ticket.number in slack.messages[dm_channel][0]["text"]


def test_status_change_updates_the_original_and_replies_in_the_thread(slack, people, new_ticket):
    ticket = new_ticket(assignee=people["agent"])
    drain()
    ticket_change_status(ticket=ticket, status=Status.IN_PROGRESS, by=Actor(user=people["agent"]))
    drain()
    ref = MessageRef.objects.get(message_key=f"tickets.ticket:{ticket.pk}", target="CINFRA001")
    assert len(top_level(slack, "CINFRA001")) == 1  # no second post
    [edit] = slack.calls_to("chat.update")
    assert edit.args["ts"] == ref.ts and "In progress" in str(edit.args["blocks"])
    [reply] = [m for m in slack.messages["CINFRA001"] if m.get("thread_ts") == ref.ts and "🔄" in m["text"]]
    assert "In progress" in reply["text"]


def test_public_comment_is_threaded_and_internal_note_never_sent(slack, people, new_ticket):
    ticket = new_ticket(assignee=people["agent"])
    drain()
    before = SlackMessage.objects.count()
    ticket_comment(ticket=ticket, body="내부 메모: 서버 비밀번호 교체", internal=True, by=Actor(user=people["agent"]))
    assert SlackMessage.objects.count() == before
    ticket_comment(ticket=ticket, body="재부팅 후 확인 부탁드립니다.", by=Actor(user=people["agent"]))
    drain()
    thread = [m for m in slack.messages["CINFRA001"] if m.get("thread_ts") and "💬" in m["text"]]
    assert len(thread) == 1 and "재부팅" in thread[0]["text"]
    assert "내부 메모" not in str(slack.calls)


def test_resolution_asks_the_requester_for_a_rating(slack, people, new_ticket):
    ticket = new_ticket(assignee=people["agent"])
    ticket_change_status(ticket=ticket, status=Status.IN_PROGRESS, by=Actor(user=people["agent"]))
    ticket_resolve(ticket=ticket, resolution="VPN 클라이언트 재설치로 해결", by=Actor(user=people["agent"]))
    drain()
    dm = SlackMessage.objects.get(kind="tickets.resolved")
    assert dm.target == "UREQUEST1" and dm.status == DeliveryStatus.SENT
    buttons = [e for b in dm.blocks if b["type"] == "actions" for e in b["elements"] if e["action_id"] == RATE]
    assert [b["value"] for b in buttons] == [f"{ticket.pk}:{score}" for score in range(1, 6)]
    # Slack needs unique action ids per block: one rating button per actions block.
    assert all(len(b["elements"]) == 1 for b in dm.blocks if b.get("block_id", "").startswith("rate:"))


def test_sensitive_ticket_never_reaches_a_channel(slack, people, new_ticket):
    ticket = new_ticket(
        title="급여 명세서 오류 김철수",
        description="주민번호 900101-1234567 확인 필요",
        sensitive=True,
        assignee=people["agent"],
    )
    ticket_comment(ticket=ticket, body="공개 답변", by=Actor(user=people["agent"]))
    ticket_change_status(ticket=ticket, status=Status.IN_PROGRESS, by=Actor(user=people["agent"]))
    ticket_escalate(ticket=ticket, reason="급여팀 확인", by=Actor(user=people["manager"]))
    ticket_resolve(ticket=ticket, resolution="정정 완료", by=Actor(user=people["agent"]))
    check_ticket_sla(ticket.pk, now=ticket.created_at + timedelta(days=30))
    drain()
    targets = set(SlackMessage.objects.values_list("target", flat=True))
    assert targets and all(t.startswith("U") for t in targets)
    for call in slack.calls_to("chat.postMessage"):
        assert call.args["channel"].startswith(("U", "D"))
        assert "급여" not in str(call.args) and "김철수" not in str(call.args)
        assert ticket.number in call.args["text"]
    assert not any(channel.startswith("C") for channel in slack.messages)


def test_marking_a_posted_ticket_sensitive_redacts_the_channel_message(slack, people, new_ticket):
    ticket = new_ticket(assignee=people["agent"])
    drain()
    ticket_update(ticket=ticket, sensitive=True, by=Actor(user=people["manager"]))
    drain()
    edits = slack.calls_to("chat.update")  # the channel message and its thread replies
    assert edits and all(ticket.number in edit.args["text"] and "VPN" not in str(edit.args) for edit in edits)


def test_escalation_updates_and_posts_to_the_new_groups_channel(slack, people, new_ticket):
    ticket = new_ticket(assignee=people["agent"])
    drain()
    RoutingRule.objects.create(name="escalations", event_kinds=["tickets.escalated"], channels="CESCAL001")
    ticket_escalate(ticket=ticket, reason="네트워크팀 확인 필요", by=Actor(user=people["manager"]))
    drain()
    assert len(slack.calls_to("chat.update")) >= 1
    assert len(top_level(slack, "CESCAL001")) == 1
    assert any("네트워크팀" in m["text"] for m in slack.messages["CINFRA001"] if m.get("thread_ts"))


def test_sla_alerts_go_to_the_routed_channel_and_the_assignee_once(slack, people, new_ticket):
    RoutingRule.objects.create(name="sla", event_kinds=["tickets.sla_breached"], channels="CSLA00001")
    ticket = new_ticket(assignee=people["agent"])
    later = ticket.created_at + timedelta(days=30)
    check_ticket_sla(ticket.pk, now=later)
    check_ticket_sla(ticket.pk, now=later)
    expand_notifications()
    breached = SlackMessage.objects.filter(kind="tickets.sla_breached")
    assert sorted(breached.values_list("target", flat=True)) == ["CSLA00001", "CSLA00001", "UAGENT001", "UAGENT001"]
    # The receivers are idempotent on their own: a repeated signal adds nothing.
    from tickets import signals
    from tickets.models import Ticket

    signals.ticket_sla_breached.send(
        sender=Ticket, ticket=ticket, by=Actor.system(), target="resolution", due=ticket.resolution_due
    )
    expand_notifications()
    assert breached.count() == 4  # first response + resolution, each once per target
    drain()
    assert len(top_level(slack, "CSLA00001")) == 2


def test_priority_decides_look_and_mentions(slack, people, new_ticket):
    RoutingRule.objects.create(
        name="urgent", priorities=["P1", "P2"], channels="CURGENT01", mentions="SONCALL01, UMANAGER1"
    )
    urgent = new_ticket(impact=Level.HIGH, urgency=Level.MEDIUM)
    normal = new_ticket(impact=Level.LOW, urgency=Level.LOW)
    assert urgent.priority == "P2" and normal.priority == "P4"
    drain()
    [post] = top_level(slack, "CURGENT01")
    assert "<!subteam^SONCALL01>" in str(post["blocks"]) and "<@UMANAGER1>" in str(post["blocks"])
    assert "High priority" in str(post["blocks"])
    [quiet] = top_level(slack, "CINFRA001")
    assert "subteam" not in str(quiet["blocks"]) and normal.number in quiet["text"]


def test_reassignment_dms_the_new_assignee_and_replies_in_thread(slack, people, new_ticket):
    ticket = new_ticket(assignee=people["agent"])
    drain()
    ticket_assign(ticket=ticket, assignee=people["agent2"], by=Actor(user=people["manager"]))
    drain()
    assert SlackMessage.objects.filter(kind="tickets.assigned", target="UAGENT002", status="sent").exists()
    ref = MessageRef.objects.get(target="CINFRA001")
    assert any(m.get("thread_ts") == ref.ts for m in slack.messages["CINFRA001"])
    assert SlackMessage.objects.filter(operation=Operation.UPDATE, status="sent").exists()


def test_without_slack_token_ticket_messages_wait_as_previews(people, new_ticket, client):
    ticket = new_ticket(assignee=people["agent"])
    ticket_change_status(ticket=ticket, status=Status.PENDING, reason="회신 대기", by=Actor(user=people["agent"]))
    ticket_comment(ticket=ticket, body="로그 보내 주세요", by=Actor(user=people["agent"]))
    expand_notifications()
    assert set(SlackMessage.objects.values_list("status", flat=True)) == {DeliveryStatus.NOT_CONFIGURED}
    # Every thread note is kept for the preview, not folded into the unsent post.
    notes = SlackMessage.objects.filter(operation=Operation.REPLY, target="CINFRA001").order_by("pk")
    assert [n.kind for n in notes] == ["tickets.assigned", "tickets.status_changed", "tickets.commented"]
    from django.contrib.auth.models import Permission

    people["manager"].user_permissions.add(Permission.objects.get(codename="view_slackmessage"))
    client.force_login(people["manager"])
    page = client.get("/slack/outbox/").content.decode()
    assert ticket.number in page and "Assign to me" in page


def test_channel_messages_use_the_company_language_and_dms_the_recipients(slack, people, new_ticket, settings):
    from django.utils import translation

    settings.LANGUAGE_CODE = "ko"
    people["agent"].employee.language = "en"
    people["agent"].employee.save()
    with translation.override("en"):  # the acting user's browser is in English
        ticket = new_ticket(assignee=people["agent"])
    channel_post = SlackMessage.objects.get(kind="tickets.created")
    assignee_dm = SlackMessage.objects.get(kind="tickets.assigned", target="UAGENT001")
    assert "포털에서 열기" in str(channel_post.blocks)
    assert "Open in portal" in str(assignee_dm.blocks) and ticket.number in assignee_dm.text


def test_a_comment_written_in_the_slack_thread_is_not_echoed_back(slack, people, new_ticket):
    ticket = new_ticket(assignee=people["agent"])
    drain()
    actor = Actor(user=people["agent"], source="slack", context={"slack_origin": "thread_reply"})
    ticket_comment(ticket=ticket, body="스레드에서 답변", by=actor)
    assert not SlackMessage.objects.filter(kind="tickets.commented", operation=Operation.REPLY).exists()
