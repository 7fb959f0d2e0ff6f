"""Leave in Slack beyond the approver's DM: the /leave command (balance, requests, the request
form), the App Home section (balance, open requests, the approver's queue with the DM's
buttons). Signed requests against the strict Slack stand-in; refusals in the person's language."""

import json
from datetime import date

import pytest
from django.conf import settings

from erp.audit.actor import Actor
from integrations.slack.leave.blocks import (
    APPROVE,
    END,
    OPEN_REQUEST,
    PART,
    REASON,
    REJECT,
    REQUEST_MODAL,
    START,
    TYPE,
)
from leave.models import LeaveRequest, LeaveType
from leave.services import leave_request
from tests.fakes.slack_signing import block_actions_payload, modal_view, static_select, view_submission_payload

from .conftest import delivered_dms, employee

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

MONDAY = date(2026, 12, 7)


def leave_command(post, text: str, user_id: str, **kwargs):
    return post.command(text, user_id, command=settings.SLACK_LEAVE_COMMAND, **kwargs)


def answer(response) -> tuple[str, dict]:
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["response_type"] == "ephemeral"
    return body["text"] + "\n" + json.dumps(body.get("blocks", []), ensure_ascii=False), body


def opened(slack) -> list[dict]:
    return [call.args["view"] for call in slack.calls_to("views.open")]


def published(slack, user_id: str) -> list[dict]:
    return [call.args["view"] for call in slack.calls_to("views.publish") if call.args.get("user_id") == user_id]


def action_ids(blocks) -> list[str]:
    return [e.get("action_id") for b in blocks if b["type"] == "actions" for e in b["elements"]]


def picked(day: date) -> dict:
    return {"type": "datepicker", "selected_date": day.isoformat()}


def form(kind: LeaveType | None, first: date | None, last: date | None = None, reason="가족 여행", part=None):
    values = {TYPE: {TYPE: static_select(str(kind.pk) if kind else None)}, REASON: {REASON: reason}}
    values[START] = {START: picked(first) if first else {"type": "datepicker", "selected_date": None}}
    values[END] = {END: picked(last) if last else {"type": "datepicker", "selected_date": None}}
    values[PART] = {PART: static_select(part)}
    return values


def submit(post, values, user_id="UAGENT001", metadata="{}"):
    return post.interaction(view_submission_payload(REQUEST_MODAL, values, metadata, user_id))


def annual() -> LeaveType:
    return LeaveType.objects.get(code="annual")


def test_the_command_shows_my_balance_and_requests(post, team, slack):
    leave_request(
        employee=employee(team["agent"]),
        leave_type=annual(),
        start_date=MONDAY,
        end_date=date(2026, 12, 8),
        reason="가족 여행",
        by=Actor(user=team["agent"]),
    )
    text, body = answer(leave_command(post, "", "UAGENT001"))
    # Hired 2020-03-02: six full years on 2026-12-02 → 15 + (6 − 1) // 2 = 17 days.
    assert "Annual leave remaining: 17 days" in text
    assert "Mar 2, 2026 (Mon) – Mar 1, 2027 (Mon)" in text  # the leave year, in the message date style
    assert "Waiting for approval" in text and "Dec 7 (Mon) – Dec 8 (Tue)" in text and "Pending" in text
    assert OPEN_REQUEST in action_ids(body["blocks"])
    assert answer(leave_command(post, "현황", "UAGENT001"))[0] == text  # the Korean word does the same


def test_request_opens_the_form_and_a_submission_asks_the_manager(post, team, slack):
    url = post.response_url()
    text, _body = answer(leave_command(post, "request", "UAGENT001", response_url=url))
    (modal,) = opened(slack)
    assert modal["callback_id"] == REQUEST_MODAL
    kinds = next(b for b in modal["blocks"] if b["block_id"] == TYPE)["element"]["options"]
    assert "Annual leave" in [k["text"]["text"] for k in kinds]
    response = submit(post, form(annual(), MONDAY, date(2026, 12, 8)), metadata=modal["private_metadata"])
    assert response.status_code == 200 and response.content == b""  # closes the modal
    leave = LeaveRequest.objects.get()
    assert (leave.employee, leave.status, leave.days) == (employee(team["agent"]), "pending", 2)
    assert "Leave requested: Annual leave, Dec 7 (Mon) – Dec 8 (Tue) (2 days)" in post.response_posts()[-1]["text"]
    (dm,) = delivered_dms(slack, "UMANAGER1")
    assert APPROVE in action_ids(dm["blocks"]) and REJECT in action_ids(dm["blocks"])
    assert published(slack, "UAGENT001")  # the Home tab shows the new request


def test_bad_input_is_refused_under_its_field_and_nothing_is_stored(post, team, slack):
    body = submit(post, form(None, None, reason="  ")).json()
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {TYPE, START, REASON}
    # The service's own rules: the last day before the first, a half day over two dates.
    errors = submit(post, form(annual(), date(2026, 12, 9), MONDAY)).json()["errors"]
    assert "before the first day" in errors[END]
    half = LeaveType.objects.filter(day_fraction=0.5).first()
    errors = submit(post, form(half, MONDAY, date(2026, 12, 8))).json()["errors"]
    assert "one date only" in errors[END]
    # A date Slack's calendar cannot send (tampered payload): a clear sentence, not a 500.
    tampered = form(annual(), MONDAY)
    tampered[START] = {START: {"type": "datepicker", "selected_date": "2026-13-45"}}
    assert "Choose a date" in submit(post, tampered).json()["errors"][START]
    assert not LeaveRequest.objects.exists()


def test_a_korean_speaker_reads_korean_refusals(post, team, slack):
    text, _body = answer(leave_command(post, "뭐지", "UKOREAN01"))
    assert "알 수 없는" in text and "/leave help" in text
    errors = submit(post, form(annual(), date(2026, 12, 9), MONDAY), user_id="UKOREAN01").json()["errors"]
    assert errors[END] == "종료일은 시작일보다 앞설 수 없습니다."
    assert submit(post, form(annual(), MONDAY, reason=""), user_id="UKOREAN01").json()["errors"][REASON] == (
        "사유를 입력해 주십시오."
    )
    text, _body = answer(leave_command(post, "", "UKOREAN01"))
    assert "남은 연차: 17일" in text


def test_help_and_unknown_words(post, team, slack):
    text, _body = answer(leave_command(post, "help", "UAGENT001"))
    assert "Leave in Slack" in text and "request" in text and "approvals" in text
    text, _body = answer(leave_command(post, "bogus", "UAGENT001"))
    assert "Unknown sub-command “bogus”" in text


def home_click(action_id: str, user_id: str, value: str) -> dict:
    view = {**modal_view("", blocks=[]), "type": "home"}
    return block_actions_payload(action_id, value, user_id=user_id, view=view)


@pytest.fixture
def asked(team):
    alice = employee(team["agent"])
    return leave_request(
        employee=alice, leave_type=annual(), start_date=MONDAY, reason="가족 여행", by=Actor(user=alice.user)
    )


def test_home_shows_the_balance_and_my_open_request(post, team, slack, asked):
    post.event({"type": "app_home_opened", "user": "UAGENT001", "tab": "home", "channel": "DHOME0001"})
    (view,) = published(slack, "UAGENT001")
    text = json.dumps(view, ensure_ascii=False)
    assert "Annual leave remaining: 17 days" in text and "Dec 7 (Mon)" in text and "Pending" in text
    assert OPEN_REQUEST in action_ids(view["blocks"]) and APPROVE not in action_ids(view["blocks"])


def test_the_managers_home_lists_leave_to_decide_and_its_buttons_decide(post, team, slack, asked):
    post.event({"type": "app_home_opened", "user": "UMANAGER1", "tab": "home", "channel": "DHOME0002"})
    (view,) = published(slack, "UMANAGER1")
    text = json.dumps(view, ensure_ascii=False)
    assert "Leave to decide" in text and "이서연: Annual leave, Dec 7 (Mon) (1 days)" in text
    assert {APPROVE, REJECT} <= set(action_ids(view["blocks"]))

    assert post.interaction(home_click(APPROVE, "UMANAGER1", str(asked.pk))).status_code == 200
    asked.refresh_from_db()
    assert asked.status == LeaveRequest.Status.APPROVED and asked.decided_by == team["manager"]
    after = json.dumps(published(slack, "UMANAGER1")[-1], ensure_ascii=False)
    assert "Leave to decide" not in after  # re-published without the decided request
    # A second click from a stale tab: the service's refusal, explained in a modal (no 500).
    assert post.interaction(home_click(REJECT, "UMANAGER1", str(asked.pk))).status_code == 200
    (notice,) = opened(slack)
    assert "already decided" in json.dumps(notice, ensure_ascii=False)


def test_the_home_button_opens_the_request_form(post, team, slack):
    assert post.interaction(home_click(OPEN_REQUEST, "UAGENT001", "new")).status_code == 200
    (modal,) = opened(slack)
    assert modal["callback_id"] == REQUEST_MODAL
    assert next(b for b in modal["blocks"] if b["block_id"] == START)["element"]["initial_date"] == "2026-12-02"


def test_an_overlapping_request_is_refused_under_the_first_day(post, team, slack, asked):
    errors = submit(post, form(annual(), MONDAY)).json()["errors"]
    assert "Dec 7 (Mon)" in errors[START] and "2026-12-07" not in errors[START]
    assert LeaveRequest.objects.count() == 1
