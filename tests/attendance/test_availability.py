"""Round-robin ticket assignment skips agents attendance knows are on leave today."""

from datetime import timedelta

import pytest
from django.utils import timezone

from attendance.availability import off_today
from attendance.services import punch_add, work_day_set_leave
from erp.people.models import Role
from tickets import availability
from tickets.services.assignment import round_robin_pick

from .conftest import make_employee


@pytest.fixture(autouse=True)
def _checker_registered():
    # Another module's test may clear tickets' registry; these tests need attendance's checker
    # registered as AttendanceConfig.ready() does (registration is idempotent).
    availability.register_availability_checker(off_today)


@pytest.fixture
def agents(dept, manager):
    first = make_employee("agent-a", "에이전트A", department=dept, role=Role.AGENT, manager=manager)
    second = make_employee("agent-b", "에이전트B", department=dept, role=Role.AGENT, manager=manager)
    return first, second


def test_checker_is_registered_by_the_app(monkeypatch):
    from django.apps import apps

    monkeypatch.setattr(availability, "_checkers", [])
    apps.get_app_config("attendance").ready()
    assert availability._checkers == [off_today]


def test_round_robin_skips_an_agent_on_leave(dept, agents, admin_employee):
    first, second = agents
    now = timezone.now()
    assert round_robin_pick(dept, now) == first.user
    work_day_set_leave(employee=first, date=timezone.localdate(now), on_leave=True, by=admin_employee.user)
    assert round_robin_pick(dept, now) == second.user
    # Tomorrow the agent is back.
    assert round_robin_pick(dept, now + timedelta(days=1)) == first.user


def test_leave_then_checked_in_anyway_counts_as_working(dept, agents, admin_employee):
    first, _second = agents
    now = timezone.now()
    work_day_set_leave(employee=first, date=timezone.localdate(now), on_leave=True, by=admin_employee.user)
    punch_add(employee=first, at=now - timedelta(minutes=5), direction="in", by=admin_employee.user)
    assert off_today(first.user, now) is None
    assert round_robin_pick(dept, now) == first.user


def test_no_opinion_without_an_employee_or_a_work_day(django_user_model, agents):
    lone = django_user_model.objects.create_user("no-employee")
    assert off_today(lone, timezone.now()) is None
    assert off_today(agents[0].user, timezone.now()) is None
