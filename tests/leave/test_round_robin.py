"""Round-robin ticket assignment skips agents on approved leave (a full day, or the half day
covering the moment), through tickets' availability registry and leave.selectors.on_leave."""

from datetime import datetime, timedelta

import pytest

from erp.audit.actor import Actor
from erp.workcalendar.calendar import KST
from leave.selectors import on_leave
from leave.services import leave_approve, leave_cancel, leave_request
from tickets.services import round_robin_pick

from .conftest import MONDAY, kind

pytestmark = pytest.mark.django_db


def approved(team, who, code="annual", first=MONDAY, part="full"):
    person = team[who]
    leave = leave_request(
        employee=person, leave_type=kind(code), start_date=first, part=part, reason="개인 사정", by=person.user
    )
    return leave_approve(request=leave, by=Actor(user=team["manager"].user))


def at(hour, day=MONDAY):
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=KST)


def test_on_leave_answers_for_full_and_half_days(team):
    approved(team, "alice")
    approved(team, "bob", "half_am")
    people = [team["alice"], team["bob"], team["manager"]]
    assert on_leave(people, MONDAY) == {team["alice"].pk}
    assert on_leave(people, MONDAY, at=at(10)) == {team["alice"].pk, team["bob"].pk}
    assert on_leave(people, MONDAY, at=at(15)) == {team["alice"].pk}
    assert on_leave(people, MONDAY + timedelta(days=1)) == set()


def test_round_robin_skips_the_agent_on_leave(team):
    leave = approved(team, "alice")
    # Neither agent has ever been assigned: the lower pk (이서연) would come first.
    assert round_robin_pick(team["infra"], now=at(10)) == team["bob"].user
    assert round_robin_pick(team["infra"], now=at(10, MONDAY + timedelta(days=1))) == team["alice"].user
    leave_cancel(request=leave, by=team["alice"].user)
    assert round_robin_pick(team["infra"], now=at(10)) == team["alice"].user


def test_a_morning_half_day_is_away_only_in_the_morning(team):
    approved(team, "alice", "half_am")
    assert round_robin_pick(team["infra"], now=at(9)) == team["bob"].user
    assert round_robin_pick(team["infra"], now=at(14)) == team["alice"].user


def test_pending_leave_is_not_absence(team):
    leave_request(
        employee=team["alice"], leave_type=kind("annual"), start_date=MONDAY, reason="x", by=team["alice"].user
    )
    assert round_robin_pick(team["infra"], now=at(10)) == team["alice"].user
