"""The /attendance command, English and Korean, against genuinely signed requests."""

import pytest
from django.conf import settings

from attendance.models import DayState, Location, Punch, PunchSource, WorkDay
from erp.audit.models import AuditEvent
from integrations.slack.attendance.blocks import CHECK_IN, CHECK_OUT, clock
from integrations.slack.inbound import dispatch as routing

from .conftest import attendance_command, employee, ephemeral_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def open_day(user) -> WorkDay:
    return WorkDay.objects.get(employee=employee(user), state=DayState.WORKING)


def action_ids(response) -> list[str]:
    return [
        element.get("action_id")
        for block in response.json().get("blocks", [])
        if block["type"] == "actions"
        for element in block["elements"]
    ]


def test_the_command_is_routed_at_start_up():
    assert settings.SLACK_ATTENDANCE_COMMAND == "/attendance"
    assert "/attendance" in routing.commands


def test_in_checks_in_at_the_office_with_the_slack_actor(post, team):
    response = attendance_command(post, "in", "UAGENT001", channel_id="CFAKECHAN1")
    text = ephemeral_text(response)
    punch = Punch.objects.get(employee=employee(team["agent"]))
    assert f"Checked in at {clock(punch.at)} (KST) · Office" in text
    assert punch.source == PunchSource.SLACK and punch.location == Location.OFFICE
    assert open_day(team["agent"]).location == Location.OFFICE
    event = AuditEvent.objects.filter(action="checked_in").latest("pk")
    assert event.source == "slack"
    assert event.context["slack_user_id"] == "UAGENT001" and event.context["slack_channel_id"] == "CFAKECHAN1"
    # The reply carries the check-out button for the next step.
    assert action_ids(response) == [CHECK_OUT]


def test_in_remote_and_in_client_place(post, team):
    ephemeral_text(attendance_command(post, "in remote", "UAGENT001"))
    assert open_day(team["agent"]).location == Location.REMOTE
    text = ephemeral_text(attendance_command(post, "in client 삼성전자 수원", "UAGENT002"))
    day = open_day(team["agent2"])
    assert (day.location, day.place) == (Location.CLIENT, "삼성전자 수원")
    assert "Client site (삼성전자 수원)" in text


def test_korean_words_and_korean_replies(post, team):
    text = ephemeral_text(attendance_command(post, "출근 재택", "UKOREAN01"))
    assert open_day(team["korean"]).location == Location.REMOTE
    assert "재택" in text  # the location label in the person's language
    text = ephemeral_text(attendance_command(post, "출근", "UKOREAN01"))
    assert "이미 출근했습니다" in text  # already checked in, in Korean
    ephemeral_text(attendance_command(post, "현황", "UKOREAN01"))
    ephemeral_text(attendance_command(post, "도움말", "UKOREAN01"))
    ephemeral_text(attendance_command(post, "퇴근", "UKOREAN01"))
    assert WorkDay.objects.get(employee=employee(team["korean"])).last_out is not None
    text = ephemeral_text(attendance_command(post, "출근 고객사 현대모비스", "UAGENT002"))
    assert open_day(team["agent2"]).place == "현대모비스"


def test_korean_not_checked_in_refusal(post, team):
    text = ephemeral_text(attendance_command(post, "퇴근", "UKOREAN01"))
    assert "오늘 출근 기록이 없습니다" in text
    assert not Punch.objects.exists()


def test_out_after_in_and_status(post, team):
    attendance_command(post, "in", "UAGENT001")
    text = ephemeral_text(attendance_command(post, "status", "UAGENT001"))
    assert "Checked in at" in text and "Today so far:" in text and "This week:" in text and "52 h" in text
    response = attendance_command(post, "out", "UAGENT001")
    text = ephemeral_text(response)
    day = WorkDay.objects.get(employee=employee(team["agent"]))
    assert f"Checked out at {clock(day.last_out)} (KST)" in text
    assert action_ids(response) == [CHECK_IN]  # back to the location menu


def test_status_before_checking_in_and_bare_command(post, team):
    for text in ("status", ""):
        body = ephemeral_text(attendance_command(post, text, "UAGENT001"))
        assert "Not checked in today." in body and "This week: 0 m of 52 h" in body


def test_help_lists_every_sub_command_in_both_languages(post, team):
    text = ephemeral_text(attendance_command(post, "help", "UAGENT001"))
    usages = ("in | 출근", "in remote | 출근 재택", "in client PLACE | 출근 고객사 PLACE", "out | 퇴근")
    for usage in usages:
        assert usage in text
    assert "status | 현황" in text and "/attendance" in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in client", "Say which client site you are at"),
        ("출근 고객사", "Say which client site you are at"),
        ("in beach", "Unknown place “beach”"),
        ("in remote office", "Only a client site takes a place"),
        ("dance", "Unknown sub-command “dance”. Try `/attendance help`."),
        ("in client " + "가" * 101, "The place is too long"),
    ],
)
def test_bad_input_is_explained_and_changes_nothing(post, team, text, expected):
    body = ephemeral_text(attendance_command(post, text, "UAGENT001"))
    assert expected in body
    assert not Punch.objects.exists()


def test_double_check_in_and_check_out_without_check_in(post, team):
    text = ephemeral_text(attendance_command(post, "out", "UAGENT001"))
    assert "You have not checked in today." in text
    attendance_command(post, "in", "UAGENT001")
    text = ephemeral_text(attendance_command(post, "in remote", "UAGENT001"))
    assert "You are already checked in since" in text
    assert Punch.objects.count() == 1 and open_day(team["agent"]).location == Location.OFFICE


def test_unknown_slack_user_gets_a_refusal(post, team):
    text = ephemeral_text(attendance_command(post, "in", "UNOBODY01"))
    assert "could not find your Haru account" in text
    assert not Punch.objects.exists()


def test_slack_markup_in_the_place_is_stored_plain_and_shown_escaped(post, team):
    # Slack escapes & < > in command text and sends mentions as markup.
    response = attendance_command(post, "in client A&amp;B &lt;본사&gt; <!channel>", "UAGENT001")
    body = ephemeral_text(response)
    assert open_day(team["agent"]).place == "A&B <본사> @channel"
    assert "A&amp;B &lt;본사&gt; @channel" in body
    assert "<!channel>" not in body
