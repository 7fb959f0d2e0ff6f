"""Corrections in Slack: the approver's DM with buttons and before → after, the decision DM'd back."""

import pytest

from attendance.models import Correction, Direction, WorkDay
from attendance.services import correction_decide, correction_request, punch_add
from erp.audit.actor import Actor
from integrations.slack.attendance.corrections import APPROVE, REJECT
from integrations.slack.core.models import SlackMessage
from tests.fakes.slack_signing import block_actions_payload

from .conftest import delivered_dms, employee, kst

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def request_for_monday(team):
    alice = employee(team["agent"])
    punch_add(employee=alice, at=kst(2026, 11, 30, 9, 40), direction=Direction.IN, by=Actor.system())
    return correction_request(
        employee=alice,
        date=kst(2026, 11, 30).date(),
        proposed_in=kst(2026, 11, 30, 9, 0),
        proposed_out=kst(2026, 11, 30, 18, 10),
        reason="지문 인식기 고장으로 출근이 늦게 찍혔습니다",
        by=Actor(user=alice.user),
    )


def buttons(message) -> dict:
    return {e["action_id"]: e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]}


def test_the_manager_gets_a_dm_with_before_after_and_buttons(team, slack, request_for_monday):
    (dm,) = delivered_dms(slack, "UMANAGER1")
    text = str(dm["blocks"])
    assert "이서연 asked to correct the times of Nov 30 (Mon)" in dm["text"]
    assert "09:40 ~ — → *09:00 ~ 18:10*" in text and "지문 인식기" in text
    assert buttons(dm)[APPROVE]["value"] == str(request_for_monday.pk)
    assert REJECT in buttons(dm)


def test_approving_in_slack_applies_it_and_dms_the_employee(post, team, slack, request_for_monday):
    delivered_dms(slack, "UMANAGER1")
    url = post.response_url()
    payload = block_actions_payload(APPROVE, str(request_for_monday.pk), user_id="UMANAGER1")
    payload["response_url"] = url
    assert post.interaction(payload).status_code == 200
    (done,) = post.response_posts()
    assert done["replace_original"] is True and "You approved 이서연's correction" in done["text"]
    request_for_monday.refresh_from_db()
    assert request_for_monday.status == Correction.Status.APPROVED
    day = WorkDay.objects.get(employee=employee(team["agent"]), date=request_for_monday.date)
    assert day.first_in == kst(2026, 11, 30, 9, 0)
    (decision,) = delivered_dms(slack, "UAGENT001")
    assert "김민준 approved your correction of Nov 30 (Mon)" in decision["text"]
    assert "→ *09:00 ~ 18:10*" in str(decision["blocks"])
    # A second click is refused with the service's words, not a 500.
    again = block_actions_payload(REJECT, str(request_for_monday.pk), user_id="UMANAGER1")
    again["response_url"] = url
    assert post.interaction(again).status_code == 200
    assert "already decided" in post.response_posts()[-1]["text"]


def test_only_an_approver_may_decide_from_slack(post, team, slack, request_for_monday):
    post.interaction(block_actions_payload(REJECT, str(request_for_monday.pk), user_id="UAGENT002"))
    request_for_monday.refresh_from_db()
    assert request_for_monday.status == Correction.Status.PENDING


def test_a_decision_in_the_portal_is_dmd_too(team, slack, request_for_monday):
    correction_decide(correction=request_for_monday, approve=False, note="기록 확인 필요", by=team["manager"])
    (decision,) = delivered_dms(slack, "UAGENT001")
    assert "rejected your correction" in decision["text"] and "기록 확인 필요" in str(decision["blocks"])
    assert SlackMessage.objects.filter(kind="attendance.correction_decided").count() == 1
