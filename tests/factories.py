"""Small builders for test data shared across the suite."""

from django.contrib.auth import get_user_model

from erp.people.models import Department, Employee, Role


def make_department(name="인프라팀", code="infra", **extra):
    department, _ = Department.objects.get_or_create(code=code, defaults={"name": name, **extra})
    return department


def make_employee(username="tester", *, role=Role.STAFF, department=None, slack_user_id=None, **extra):
    user = get_user_model().objects.create_user(
        username=username, password="pw-for-tests-1", email=extra.pop("email", f"{username}@haru.example")
    )
    return Employee.objects.create(
        user=user,
        display_name=extra.pop("display_name", username),
        role=role,
        department=department,
        slack_user_id=slack_user_id,
        **extra,
    )
