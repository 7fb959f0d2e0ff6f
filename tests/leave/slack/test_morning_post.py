"""The attendance morning post lists people on approved leave (names only, never the kind)."""

import json
from datetime import date, datetime

import pytest

from attendance.models import Direction, Location
from attendance.services import punch_add
from erp.audit.actor import Actor
from erp.workcalendar.calendar import KST
from integrations.slack.attendance.jobs import send_morning_post
from leave.models import LeaveType
from leave.services import leave_decide, leave_request
from tests.integrations.slack.conftest import drain

from .conftest import employee

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

DAY = date(2026, 12, 1)  # the Tuesday before the pinned Wednesday


def approved(team, key, code, part="full"):
    person = employee(team[key])
    leave = leave_request(
        employee=person,
        leave_type=LeaveType.objects.get(code=code),
        start_date=DAY,
        part=part,
        reason="병원 진료",
        by=Actor(user=person.user),
    )
    return leave_decide(request=leave, approve=True, by=team["admin"])


def test_people_on_leave_are_listed_as_away_without_the_kind(team, slack):
    approved(team, "agent", "sick")
    approved(team, "agent2", "half_am")  # away at the post's hour
    approved(team, "korean", "half_pm")  # in this morning: not listed
    assert send_morning_post(DAY) == 1
    drain()
    (message,) = slack.messages["CINFRA001"]
    text = message["text"] + json.dumps(message["blocks"], ensure_ascii=False)
    assert "<@UAGENT001> — On leave" in text and "<@UAGENT002> — On leave" in text
    assert "최지우" not in text and "UKOREAN01" not in text
    assert "Sick" not in text and "병가" not in text and "Half" not in text


def test_someone_on_leave_who_checked_in_anyway_is_working(team, slack):
    approved(team, "agent", "annual")
    person = employee(team["agent"])
    punch_add(
        employee=person,
        at=datetime(2026, 12, 1, 8, 50, tzinfo=KST),
        direction=Direction.IN,
        location=Location.REMOTE,
        by=Actor.system(),
    )
    assert send_morning_post(DAY) == 1
    drain()
    (message,) = slack.messages["CINFRA001"]
    assert (
        "<@UAGENT001> — Remote" in json.dumps(message["blocks"], ensure_ascii=False)
        and "On leave" not in message["text"]
    )
