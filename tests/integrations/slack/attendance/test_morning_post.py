"""The optional morning post: who works remotely or at a client, per department channel, no times."""

import json
import re
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from attendance.models import Direction, Location
from attendance.services import punch_add
from erp.audit.actor import Actor
from erp.people.models import Department, Employee
from erp.workcalendar.calendar import get_calendar
from integrations.slack.attendance.jobs import attendance_morning_post, send_morning_post
from tests.integrations.slack.conftest import drain

from .conftest import employee, kst, outbox_rows

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

CLOCK = re.compile(r"\b\d{1,2}:\d{2}\b")


@pytest.fixture
def workday() -> date:
    """The last working day before today (punches may not be in the future)."""
    return get_calendar().previous_working_day(timezone.localdate())


def check_in(user, day: date, location: str, place: str = "") -> None:
    person = employee(user)
    at = kst(day.year, day.month, day.day, 8, 47)
    punch_add(employee=person, at=at, direction=Direction.IN, location=location, place=place, by=Actor.system())


@pytest.fixture
def elsewhere(team, workday):
    check_in(team["agent"], workday, Location.REMOTE)
    check_in(team["agent2"], workday, Location.CLIENT, "삼성전자 수원")
    check_in(team["korean"], workday, Location.OFFICE)  # at the office: not in the post
    check_in(team["requester"], workday, Location.OFFICE)  # dev: nobody elsewhere → no post
    sales = Department.objects.create(name="영업팀", code="sales")  # no channel → no post
    Employee.objects.filter(user=team["colleague"]).update(department=sales)
    check_in(team["colleague"], workday, Location.REMOTE)
    return team


def test_one_post_per_department_with_names_and_locations_only(elsewhere, slack, workday):
    assert send_morning_post(workday) == 1
    drain()
    assert set(slack.messages) == {"CINFRA001"}
    (message,) = slack.messages["CINFRA001"]
    text = message["text"] + json.dumps(message["blocks"], ensure_ascii=False)
    assert "인프라팀" in text and "working elsewhere today" in text
    assert "<@UAGENT001> — Remote" in text and "<@UAGENT002> — Client site (삼성전자 수원)" in text
    assert "이서연 — Remote" in message["text"]
    assert "최지우" not in text and "UKOREAN01" not in text  # at the office
    assert not CLOCK.search(text), "the morning post must never show times"


def test_once_per_department_and_day(elsewhere, slack, workday):
    assert send_morning_post(workday) == 1
    assert send_morning_post(workday) == 0
    assert outbox_rows("attendance.morning_post").count() == 1


def test_days_off_and_the_switch(elsewhere, slack, settings, workday):
    assert send_morning_post(date(2026, 10, 9)) == 0  # 한글날 (Friday)
    assert send_morning_post(workday + timedelta(days=(5 - workday.weekday()) % 7 or 7)) == 0  # a Saturday
    settings.ATTENDANCE_MORNING_POST = False
    assert send_morning_post(workday) == 0
    assert not outbox_rows().filter(kind="attendance.morning_post").exists()


def test_nobody_elsewhere_posts_nothing(team, slack, workday):
    check_in(team["agent"], workday, Location.OFFICE)
    assert send_morning_post(workday) == 0


def test_beat_runs_the_task_at_the_configured_hour():
    entry = settings.CELERY_BEAT_SCHEDULE["integrations.slack.attendance_morning_post"]
    assert entry["task"] == attendance_morning_post.name
    # The first tick is on the configured hour; the later ones catch a missed run up (erp.core.scheduled).
    assert min(entry["schedule"].hour) == settings.ATTENDANCE_MORNING_POST_HOUR
    assert entry["schedule"].minute == {0, 15, 30, 45}


def test_a_missed_morning_post_is_caught_up_once(elsewhere, slack, workday, settings):
    hour = settings.ATTENDANCE_MORNING_POST_HOUR
    assert send_morning_post(now=kst(workday.year, workday.month, workday.day, hour - 1, 45)) == 0
    assert send_morning_post(now=kst(workday.year, workday.month, workday.day, hour + 1, 0)) == 1
    assert send_morning_post(now=kst(workday.year, workday.month, workday.day, hour + 1, 15)) == 0
    assert outbox_rows("attendance.morning_post").count() == 1
