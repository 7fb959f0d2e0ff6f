"""Leave requests in the history search: found by reason, only by those who may open them."""

import pytest

from erp.core.search import search_everywhere, search_source
from leave.search import LEAVE_SOURCE
from leave.services import leave_request

from .conftest import MONDAY, kind

pytestmark = pytest.mark.django_db


def found(user, text):
    (result,) = search_everywhere(user, text, keys=["leave_requests"])
    return {hit.obj.employee.display_name for hit in result.hits}


def test_found_by_reason_only_by_those_who_may_open_it(team):
    assert search_source("leave_requests") is LEAVE_SOURCE
    leave_request(
        employee=team["alice"], leave_type=kind("sick"), start_date=MONDAY, reason="독감 진단", by=team["alice"].user
    )
    assert found(team["alice"].user, "독감") == {"이서연"}
    assert found(team["manager"].user, "독감") == {"이서연"}
    assert found(team["hr"].user, "독감") == {"이서연"}
    assert found(team["bob"].user, "독감") == set()  # a colleague: not their business
    assert found(team["other"].user, "독감") == set()
