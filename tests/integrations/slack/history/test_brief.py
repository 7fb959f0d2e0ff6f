"""The morning brief (one message per opted-in team, sections from the modules, privacy) and the
weekly / monthly reports per group channel."""

import json
import re
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from attendance.models import Direction, Location
from attendance.services import punch_add, work_day_set_leave
from erp.audit.actor import Actor
from erp.core.models import ScheduledRun
from erp.history.brief import brief_for
from erp.history.models import TeamBrief
from erp.history.rollups import fold_all
from erp.people.models import Employee
from erp.workcalendar.calendar import KST
from integrations.slack.attendance.jobs import send_morning_post
from integrations.slack.core.models import SlackMessage
from integrations.slack.history.jobs import send_monthly_report, send_morning_brief, send_weekly_report
from integrations.slack.tickets.digest import send_daily_digest
from leave.models import DayPart, LeaveRequest
from tests.integrations.slack.conftest import drain
from tests.leave.conftest import kind
from tickets.models import Priority, Ticket

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

TODAY = date(2026, 12, 2)  # the pinned working Wednesday
CLOCK = re.compile(r"\b\d{1,2}:\d{2}\b")


def message_text(message) -> str:
    return message["text"] + json.dumps(message["blocks"], ensure_ascii=False)


@pytest.fixture
def day_of_news(team, make_ticket):
    """Yesterday: two infra tickets (one a P1, one a sensitive P1); today: who works where."""
    p1 = make_ticket(title="결제 서버 장애 010-1234-5678")
    secret = make_ticket(title="인사 급여 파일 유출", sensitive=True)
    Ticket.objects.filter(pk__in=[p1.pk, secret.pk]).update(
        priority=Priority.P1, created_at=datetime(2026, 12, 1, 15, 0, tzinfo=KST)
    )
    for user, location, place in ((team["agent"], Location.REMOTE, ""), (team["agent2"], Location.CLIENT, "삼성전자")):
        person = Employee.objects.get(user=user)
        at = datetime(2026, 12, 2, 8, 47, tzinfo=KST)
        punch_add(employee=person, at=at, direction=Direction.IN, location=location, place=place, by=Actor.system())
    work_day_set_leave(employee=Employee.objects.get(user=team["korean"]), date=TODAY, on_leave=True, by=Actor.system())
    fold_all()
    return {"p1": p1, "secret": secret}


def test_one_brief_per_team_with_every_section_and_nothing_private(team, day_of_news, slack):
    TeamBrief.objects.create(department=team["infra"])
    assert send_morning_brief(TODAY) == 1
    assert send_morning_brief(TODAY) == 0  # once a day
    drain()
    (message,) = slack.messages["CINFRA001"]
    text = message_text(message)
    assert "인프라팀 morning brief" in text
    assert "2 new" in text and "Open P1 tickets: 2" in text
    assert day_of_news["p1"].number in text and day_of_news["secret"].number not in text
    assert "유출" not in text  # a sensitive ticket is counted, never named
    assert "010-1234-5678" not in text  # personal data masked
    assert "Remote: 이서연" in text and "At a client: 박도현(삼성전자)" in text and "On leave: 최지우" in text
    assert not CLOCK.search(text), "no times of day in a team channel"
    assert "CDEV00001" not in slack.messages  # dev did not opt in


def test_the_brief_replaces_the_separate_morning_posts_of_teams_that_opted_in(team, day_of_news, slack):
    brief = TeamBrief.objects.create(department=team["infra"])
    assert send_morning_post(TODAY) == 0
    send_daily_digest(TODAY)
    assert not SlackMessage.objects.filter(target="CINFRA001", kind__startswith="tickets.digest").exists()
    brief.replace_morning_posts = False
    brief.save()
    SlackMessage.objects.all().delete()
    ScheduledRun.objects.all().delete()
    assert send_morning_post(TODAY) == 1
    send_daily_digest(TODAY)
    assert SlackMessage.objects.filter(target="CINFRA001", kind__startswith="tickets.digest").exists()


def test_weekly_and_monthly_reports_per_group_channel_once_per_period(team, day_of_news, slack):
    monday = date(2026, 12, 7)
    assert send_weekly_report(monday) == 1  # infra had tickets last week; dev had none
    assert send_weekly_report(date(2026, 12, 8)) == 0  # Tuesday: already queued for the week
    drain()
    (message,) = slack.messages["CINFRA001"]
    text = message_text(message)
    assert "Weekly report" in text and "Nov 30 (Mon) – Dec 6 (Sun)" in text
    assert "/reports/tickets/?start=2026-11-30&end=2026-12-06" in text
    assert send_monthly_report(date(2027, 1, 4)) == 1  # first working day of January: December's report
    assert send_monthly_report(date(2027, 1, 5)) == 0


def test_a_morning_half_day_from_the_leave_app_is_on_leave_in_the_brief(team, day_of_news):
    """The attendance post the brief stands in for lists approved morning half days (leave app);
    the brief lists them too — by name, never the kind of leave or its reason."""
    for username, name, part in (("amleave", "한지민", DayPart.AM), ("pmleave", "오세훈", DayPart.PM)):
        user = get_user_model().objects.create_user(username, password="pw-for-tests-1")
        person = Employee.objects.create(user=user, display_name=name, department=team["infra"])
        LeaveRequest.objects.create(
            employee=person, leave_type=kind("annual"), start_date=TODAY, end_date=TODAY, part=part,
            days=Decimal("0.5"), reason="병원 진료", status=LeaveRequest.Status.APPROVED,
        )  # fmt: skip
    ((_section, part),) = [(s, p) for s, p in brief_for(team["infra"], TODAY) if s.key == "attendance"]
    assert "On leave: 최지우, 한지민" in part.lines  # the afternoon half day works this morning
    assert "병원" not in "\n".join(part.lines) and "오세훈" not in "\n".join(part.lines)
