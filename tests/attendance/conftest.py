"""Attendance fixtures: a small company (manager, two staff, an admin), a device with a token.

Every attendance test runs with the clock pinned at a working Wednesday (2 December 2026,
10:00 KST): their punches sit on fixed days, mostly the week of 16 November 2026, and the
services refuse punches from their future and read "today" from the clock.
"""

from datetime import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation
from rest_framework.test import APIClient

from attendance.models import Device, Location
from attendance.services import device_issue_token
from erp.audit.actor import Actor
from erp.people.models import Department, Employee, Role
from erp.workcalendar.calendar import KST
from tests.clock import WORKING_WEDNESDAY, clock_pinned_at


def kst(*args) -> datetime:
    return datetime(*args, tzinfo=KST)


def make_employee(username, name, *, department, role=Role.STAFF, manager=None, number=None, superuser=False):
    user = get_user_model().objects.create_user(
        username, password="pw-for-tests-1", is_staff=superuser, is_superuser=superuser
    )
    return Employee.objects.create(
        user=user,
        display_name=name,
        department=department,
        role=role,
        manager=manager,
        employee_no=number,
    )


@pytest.fixture(autouse=True)
def _pinned_clock(request):
    yield from clock_pinned_at(request, WORKING_WEDNESDAY)


@pytest.fixture(autouse=True)
def _english_messages():
    """Service messages in English for assertions (HTTP tests check codes and figures instead)."""
    with translation.override("en"):
        yield


@pytest.fixture
def dept(db):
    return Department.objects.create(name="인프라팀", code="infra")


@pytest.fixture
def manager(dept):
    return make_employee("minjun", "김민준", department=dept, role=Role.MANAGER, number="H1001")


@pytest.fixture
def alice(dept, manager):
    return make_employee("seoyeon", "이서연", department=dept, manager=manager, number="H1002")


@pytest.fixture
def bob(dept, manager):
    return make_employee("dohyun", "박도현", department=dept, manager=manager, number="H1003")


@pytest.fixture
def outsider(db):
    other = Department.objects.create(name="영업팀", code="sales")
    return make_employee("eunji", "장은지", department=other, role=Role.MANAGER, number="H2001")


@pytest.fixture
def admin_employee(dept):
    return make_employee("admin", "관리자", department=dept, role=Role.ADMIN, number="H0001", superuser=True)


@pytest.fixture
def device(db):
    # The scenarios replay mid-November (and older) backlogs against a clock pinned at
    # 2 December: a wide back-dating window keeps them applied. tests/attendance/
    # test_device_security.py tests the window itself (default 7 days).
    return Device.objects.create(
        code="seoul-hq-1f", name="본사 1층", location=Location.OFFICE, place="본사 1층", backdate_days=3650
    )


@pytest.fixture
def device_token(device, admin_employee):
    return device_issue_token(device=device, by=Actor(user=admin_employee.user, source="admin"))


@pytest.fixture
def device_client(device_token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Device {device_token}")
    return client


@pytest.fixture
def slack_actor():
    def make(employee):
        return Actor(user=employee.user, source="slack", context={"channel": "D0TEST"})

    return make
