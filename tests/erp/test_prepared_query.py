"""erp.core.prepared: SQL compiled once, values bound per call, the same objects as the ORM."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from erp.core.prepared import PreparedQuery
from erp.people.models import Employee, Role
from tests.factories import make_department, make_employee

BY_SLACK_ID = PreparedQuery(
    lambda slack_id: Employee.objects.select_related("user", "department").filter(
        slack_user_id=slack_id, user__is_active=True
    ),
    str,
)


@pytest.fixture
def people(db):
    infra = make_department()
    return {
        "a": make_employee("alice", role=Role.AGENT, department=infra, slack_user_id="UALICE001"),
        "b": make_employee("bob", department=infra, slack_user_id="UBOB00001"),
    }


def test_binds_each_call_s_values_and_builds_related_objects_like_the_orm(people):
    for name in ("a", "b", "a"):
        expected = Employee.objects.select_related("user", "department").get(pk=people[name].pk)
        with CaptureQueriesContext(connection) as ctx:
            found = BY_SLACK_ID.get(people[name].slack_user_id)
        assert len(ctx.captured_queries) == 1  # user and department joined, as select_related
        assert found == expected and found.user.username == expected.user.username
        assert found.department.name == "인프라팀" and found.role == expected.role
        assert found._state.db == "default" and not found._state.adding  # saveable like an ORM row


def test_get_raises_does_not_exist_and_all_lists(people):
    with pytest.raises(Employee.DoesNotExist):
        BY_SLACK_ID.get("UNOBODY01")
    people["b"].user.is_active = False
    people["b"].user.save()
    with pytest.raises(Employee.DoesNotExist):  # the constant part of the filter is kept
        BY_SLACK_ID.get("UBOB00001")
    assert [e.pk for e in BY_SLACK_ID.all("UALICE001")] == [people["a"].pk]


def test_several_values_and_ints(people):
    query = PreparedQuery(
        lambda department, role: Employee.objects.filter(department_id=department, role=role).order_by("pk"),
        int,
        str,
    )
    department = people["a"].department_id
    assert [e.pk for e in query.all(department, Role.AGENT)] == [people["a"].pk]
    assert [e.pk for e in query.all(department, Role.STAFF)] == [people["b"].pk]
    assert query.all(department + 1000, Role.STAFF) == []


def test_a_value_that_does_not_reach_the_sql_unchanged_fails_loudly(people):
    rewritten = PreparedQuery(lambda name: Employee.objects.filter(display_name__icontains=name), str)
    with pytest.raises(ValueError, match="does not reach the SQL"):
        rewritten.all("ali")
    with pytest.raises(TypeError):
        PreparedQuery(lambda day: Employee.objects.filter(pk=day), float).all(1.0)
