"""Fixtures for the Slack side of alerts: the inbound crew, an infra webhook source, a roster."""

from datetime import date, time

import pytest

from alerts.models import Shape, Source, SourceKind, WebhookAuth
from tests.clock import WORKING_WEDNESDAY, clock_pinned_at
from tests.integrations.slack.inbound.conftest import (  # noqa: F401  (fixtures used by the tests here)
    _fresh_process_memory,
    crew,
    post,
)
from tickets.oncall.models import OnCallMember, OnCallRotation


@pytest.fixture(autouse=True)
def _pinned_clock(request):
    yield from clock_pinned_at(request, WORKING_WEDNESDAY)


@pytest.fixture
def prometheus(crew):  # noqa: F811
    return Source.objects.create(
        name="Prometheus",
        kind=SourceKind.WEBHOOK,
        shape=Shape.ALERTMANAGER,
        auth=WebhookAuth.BEARER,
        secret="s3cret",
        owner_team=crew["infra"],
    )


@pytest.fixture
def roster(crew):  # noqa: F811
    """agent2 (박도현) is on call for infra every week."""
    rotation = OnCallRotation.objects.create(group=crew["infra"], anchor_date=date(2026, 1, 5), handoff_time=time(9))
    OnCallMember.objects.create(rotation=rotation, employee=crew["agent2"].employee, position=0)
    return rotation
