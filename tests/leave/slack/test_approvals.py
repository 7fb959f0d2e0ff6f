"""Leave approval in Slack: the approver's DM with buttons (signed clicks, strict stand-in),
the message updated in place after the decision wherever it was taken, the decision DM'd back."""

from datetime import date

import pytest

from erp.audit.actor import Actor
from integrations.slack.core.models import DeliveryStatus, SlackMessage
from integrations.slack.leave.blocks import APPROVE, REJECT
from leave.models import LeaveRequest, LeaveType
from leave.services import leave_cancel, leave_decide, leave_request
from tests.fakes.slack_signing import block_actions_payload

from .conftest import delivered_dms, employee

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

MONDAY = date(2026, 12, 7)


@pytest.fixture
def asked(team):
    alice = employee(team["agent"])
    return leave_request(
        employee=alice,
        leave_type=LeaveType.objects.get(code="annual"),
        start_date=MONDAY,
        end_date=date(2026, 12, 8),
        reason="가족 여행(제주)",
        by=Actor(user=alice.user),
    )


def buttons(message) -> dict:
    return {e["action_id"]: e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]}


def current(slack, row: SlackMessage) -> dict:
    """The message as Slack holds it now (after any chat.update)."""
    return next(m for m in slack.messages[row.channel_id] if m["ts"] == row.ts)


def approval_row() -> SlackMessage:
    return SlackMessage.objects.get(kind="leave.requested", status=DeliveryStatus.SENT)


def test_the_manager_gets_a_dm_with_the_facts_and_buttons(team, slack, asked):
    (dm,) = delivered_dms(slack, "UMANAGER1")
    text = str(dm["blocks"])
    assert "이서연 asked for leave: Annual leave, Dec 7 (Mon) – Dec 8 (Tue)" in dm["text"]
    assert "2 days" in text and "가족 여행" in text and "Annual leave remaining" in text
    assert buttons(dm)[APPROVE]["value"] == str(asked.pk) and REJECT in buttons(dm)


def test_approving_with_a_signed_click_updates_the_dm_and_tells_the_requester(post, team, slack, asked):
    delivered_dms(slack, "UMANAGER1")
    url = post.response_url()
    payload = block_actions_payload(APPROVE, str(asked.pk), user_id="UMANAGER1")
    payload["response_url"] = url
    assert post.interaction(payload).status_code == 200
    (done,) = post.response_posts()
    assert done["replace_original"] is True and "김민준 approved this leave" in done["text"]
    asked.refresh_from_db()
    assert asked.status == LeaveRequest.Status.APPROVED and asked.decided_by == team["manager"]
    (decision,) = delivered_dms(slack, "UAGENT001")
    assert "김민준 approved your leave: Annual leave, Dec 7 (Mon) – Dec 8 (Tue)" in decision["text"]
    # The approver's DM itself was updated in place (chat.update): no buttons left.
    held = current(slack, approval_row())
    assert "approved this leave" in held["text"] and not buttons(held)
    assert [c for c in slack.calls if c.method == "chat.update"]
    # A second click is refused with the service's words, not a 500.
    again = block_actions_payload(REJECT, str(asked.pk), user_id="UMANAGER1")
    again["response_url"] = url
    assert post.interaction(again).status_code == 200
    assert "already decided" in post.response_posts()[-1]["text"]


def test_only_an_approver_may_decide_from_slack(post, team, slack, asked):
    url = post.response_url()
    payload = block_actions_payload(APPROVE, str(asked.pk), user_id="UAGENT002")
    payload["response_url"] = url
    assert post.interaction(payload).status_code == 200
    asked.refresh_from_db()
    assert asked.status == LeaveRequest.Status.PENDING
    # A forged id is an ephemeral answer too.
    forged = block_actions_payload(APPROVE, "999999", user_id="UMANAGER1")
    forged["response_url"] = url
    assert post.interaction(forged).status_code == 200
    assert "no longer exists" in post.response_posts()[-1]["text"]


def test_a_decision_in_the_portal_also_updates_the_dm_in_place(team, slack, asked):
    delivered_dms(slack, "UMANAGER1")
    leave_decide(request=asked, approve=False, note="팀 일정과 겹칩니다", by=team["manager"])
    (decision,) = delivered_dms(slack, "UAGENT001")
    assert "rejected your leave" in decision["text"] and "팀 일정과 겹칩니다" in str(decision["blocks"])
    held = current(slack, approval_row())
    assert "rejected this leave" in held["text"] and not buttons(held)


def test_cancelling_approved_leave_tells_the_approver_and_settles_the_dm(team, slack, asked):
    delivered_dms(slack, "UMANAGER1")
    leave_decide(request=asked, approve=True, by=team["manager"])
    leave_cancel(request=asked, by=team["agent"])
    dms = delivered_dms(slack, "UMANAGER1")
    assert any("이서연 cancelled approved leave" in m["text"] for m in dms)
    assert "cancelled this leave" in current(slack, approval_row())["text"]


def test_the_korean_speaker_reads_korean(team, slack):
    korean = employee(team["korean"])
    leave = leave_request(
        employee=korean,
        leave_type=LeaveType.objects.get(code="half_pm"),
        start_date=MONDAY,
        reason="병원 진료",
        by=Actor(user=korean.user),
    )
    leave_decide(request=leave, approve=True, by=team["manager"])
    (decision,) = delivered_dms(slack, "UKOREAN01")
    assert "김민준 님이 휴가를 승인했습니다: 반차(오후), 12월 7일 (월) · 오후" in decision["text"]
