"""erp.core.filters.IdFilter: an id filter refuses what the database cannot hold, with a message."""

import django_filters
import pytest

from erp.core.bounds import MAX_ID
from erp.core.filters import IdFilter
from erp.people.models import Department

pytestmark = pytest.mark.django_db


class DepartmentFilter(django_filters.FilterSet):
    parent = IdFilter(field_name="parent_id")

    class Meta:
        model = Department
        fields = ["parent"]


@pytest.mark.parametrize("value", ["abc", "1.5", "0", "-1", str(MAX_ID + 1), str(10**23)])
def test_a_bad_id_is_a_form_error_not_an_empty_list(value):
    filterset = DepartmentFilter({"parent": value}, queryset=Department.objects.all())
    assert not filterset.is_valid()
    assert filterset.errors["parent"]


def test_a_good_id_filters():
    parent = Department.objects.create(name="본부", code="hq")
    child = Department.objects.create(name="인프라팀", code="infra", parent=parent)
    Department.objects.create(name="영업팀", code="sales")
    filterset = DepartmentFilter({"parent": str(parent.pk)}, queryset=Department.objects.all())
    assert filterset.is_valid()
    assert list(filterset.qs) == [child]
    assert DepartmentFilter({"parent": str(MAX_ID)}, queryset=Department.objects.all()).is_valid()


def test_the_modules_use_the_shared_filter():
    from attendance import filters as attendance_filters
    from tickets import filters as ticket_filters

    assert ticket_filters.IdFilter is IdFilter and attendance_filters.IdFilter is IdFilter
