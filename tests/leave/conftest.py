"""Leave fixtures: a team (manager, two staff, another department's manager, an HR admin).

The clock is pinned at a working Wednesday (2 December 2026, 10:00 KST); the requests sit
in the following weeks so "not begun yet" holds whatever HARU_TEST_NOW says.
"""

import importlib
from datetime import date

import pytest
from django.contrib.auth import get_user_model

from erp.people.models import Department, Employee, Role
from leave.models import LeaveProfile, LeaveType
from tests.clock import WORKING_WEDNESDAY, clock_pinned_at

MONDAY = date(2026, 12, 7)  # the week after the pinned Wednesday: Mon 7 … Fri 11 December


@pytest.fixture(autouse=True)
def _pinned_clock(request):
    yield from clock_pinned_at(request, WORKING_WEDNESDAY)


def seed_leave_types() -> None:
    """The seeded leave types (the data migration's), again if a transactional test's flush removed them."""
    from django.apps import apps

    seed = importlib.import_module("leave.migrations.0002_seed_leave_types").seed
    seed(apps, None)


def make_employee(username, name, *, department, role=Role.STAFF, manager=None, slack=None, hired=None):
    user = get_user_model().objects.create_user(username, password="pw-for-tests-1")
    employee = Employee.objects.create(
        user=user,
        display_name=name,
        department=department,
        role=role,
        manager=manager,
        slack_user_id=slack,
        employee_no=f"E{user.pk:04d}",
    )
    if hired:
        LeaveProfile.objects.create(employee=employee, hire_date=hired)
    return employee


@pytest.fixture
def team(db):
    seed_leave_types()
    infra = Department.objects.create(name="인프라팀", code="infra", slack_channel_id="CINFRA001")
    sales = Department.objects.create(name="영업팀", code="sales")
    manager = make_employee(
        "minjun", "김민준", department=infra, role=Role.MANAGER, slack="UMANAGER1", hired=date(2016, 3, 2)
    )
    alice = make_employee(
        "seoyeon",
        "이서연",
        department=infra,
        role=Role.AGENT,
        manager=manager,
        slack="UAGENT001",
        hired=date(2021, 7, 1),
    )
    bob = make_employee("dohyun", "박도현", department=infra, role=Role.AGENT, manager=manager, hired=date(2025, 2, 28))
    other = make_employee("eunji", "장은지", department=sales, role=Role.MANAGER, hired=date(2018, 1, 2))
    hr = make_employee("hr", "황시우", department=sales, role=Role.ADMIN, hired=date(2019, 5, 1))
    return {"infra": infra, "sales": sales, "manager": manager, "alice": alice, "bob": bob, "other": other, "hr": hr}


def kind(code: str) -> LeaveType:
    if not LeaveType.objects.filter(code=code).exists():
        seed_leave_types()
    return LeaveType.objects.get(code=code)
