import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from erp.people.demo import DEMO_ADMIN_PASSWORD, DEMO_ADMIN_USERNAME
from erp.people.models import Department, Employee

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_realistic():
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
