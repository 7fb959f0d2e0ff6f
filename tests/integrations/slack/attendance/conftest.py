"""Fixtures for the Slack side of attendance, reusing the inbound crew and signed poster.

People come from tests/integrations/slack/inbound/conftest.py (English speakers, one Korean
speaker, everyone linked to Slack); here the infra agents get their manager and a person
without a Slack id is added. Outbox deliveries run with ``drain`` (outbound conftest).

The clock is pinned at a working Wednesday morning: a person checks in "now" and reads
"today" and "this week", which read differently on a holiday, a weekend or across KST
midnight.
"""

from datetime import datetime

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from erp.people.models import Employee, Role
from erp.workcalendar.calendar import KST
from integrations.slack.core.models import DeliveryStatus, SlackMessage
from tests.clock import WORKING_WEDNESDAY, clock_pinned_at
from tests.integrations.slack.conftest import drain
from tests.integrations.slack.inbound.conftest import (  # noqa: F401  (fixtures used by the tests here)
    _fresh_process_memory,
    crew,
    ephemeral_text,
    post,
)

ATTENDANCE = "/attendance"


def kst(*args) -> datetime:
    return datetime(*args, tzinfo=KST)


@pytest.fixture(autouse=True)
def _pinned_clock(request):
    yield from clock_pinned_at(request, WORKING_WEDNESDAY)


@pytest.fixture
def team(crew):  # noqa: F811  (the imported fixture)
    """The crew with reporting lines: the infra agents (and the Korean speaker) report to minjun."""
    manager = crew["manager"].employee
    for key in ("agent", "agent2", "korean"):
        Employee.objects.filter(user=crew[key]).update(manager=manager)
    user = get_user_model().objects.create_user("nolink", "nolink@haru.example", "pw")
    Employee.objects.create(
        user=user, display_name="미연결", role=Role.STAFF, department=crew["infra"], manager=manager, language="en"
    )
    return {**crew, "unlinked": user}


def employee(user) -> Employee:
    """A fresh Employee row (the cached ``user.employee`` misses later updates)."""
    return Employee.objects.select_related("user", "manager", "department").get(user=user)


def attendance_command(poster, text: str, user_id: str, **kwargs):
    return poster.command(text, user_id, command=settings.SLACK_ATTENDANCE_COMMAND, **kwargs)


def dms_to(slack, user_id: str) -> list[dict]:
    """The messages Slack holds for the DMs delivered to ``user_id`` (outbox target), in order."""
    held = slack.messages
    rows = SlackMessage.objects.filter(target=user_id, status=DeliveryStatus.SENT).order_by("pk")
    return [message for row in rows for message in held.get(row.channel_id, []) if message["ts"] == row.ts]


def delivered_dms(slack, user_id: str) -> list[dict]:
    drain()
    return dms_to(slack, user_id)


def outbox_rows(kind_prefix: str = "attendance."):
    return SlackMessage.objects.filter(kind__startswith=kind_prefix).order_by("pk")
