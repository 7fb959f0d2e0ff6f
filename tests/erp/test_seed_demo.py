from datetime import datetime

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from erp.people.demo import DEMO_ADMIN_PASSWORD, DEMO_ADMIN_USERNAME
from erp.people.models import Department, Employee
from erp.workcalendar.calendar import KST

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_realistic(time_machine):
    time_machine.move_to(datetime(2026, 12, 2, 10, 0, tzinfo=KST))  # seed_demo ages every module from now
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    counts = (Department.objects.count(), Employee.objects.count())
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert (Department.objects.count(), Employee.objects.count()) == counts
    assert set(Department.objects.values_list("name", flat=True)) >= {
        "개발팀",
        "인프라팀",
        "영업팀",
        "마케팅팀",
        "경영지원팀",
    }
    assert not Employee.objects.filter(slack_user_id=None).exists()
    admin = authenticate(username=DEMO_ADMIN_USERNAME, password=DEMO_ADMIN_PASSWORD)
    assert admin is not None and admin.is_superuser
