"""Leave in Slack: the Slack test crew (everyone linked, English speakers and one Korean), the
signed poster, the strict Slack Web API stand-in and the in-memory broker of the Slack tests."""

from datetime import date

import pytest

from leave.models import LeaveProfile
from tests.integrations.slack.attendance.conftest import (  # noqa: F401  (fixtures used by the tests here)
    _fresh_process_memory,
    _pinned_clock,
    crew,
    delivered_dms,
    employee,
    post,
)
from tests.integrations.slack.attendance.conftest import team as slack_team  # noqa: F401
from tests.integrations.slack.conftest import memory_broker  # noqa: F401
from tests.leave.conftest import seed_leave_types


@pytest.fixture
def team(slack_team):  # noqa: F811
    """The Slack crew with reporting lines and hire dates (so annual leave has a balance)."""
    seed_leave_types()
    for key in ("agent", "agent2", "manager", "korean", "admin"):
        LeaveProfile.objects.create(employee=employee(slack_team[key]), hire_date=date(2020, 3, 2))
    return slack_team
