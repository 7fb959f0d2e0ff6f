"""Fixtures for alerts: an infra team owning a webhook source per shape, an agent, an outsider."""

import pytest

from alerts.models import Shape, Source, SourceKind, WebhookAuth
from erp.people.models import Role
from tests.clock import WORKING_WEDNESDAY, clock_pinned_at
from tests.factories import make_department, make_employee


@pytest.fixture(autouse=True)
def _pinned_clock(request):
    yield from clock_pinned_at(request, WORKING_WEDNESDAY)


@pytest.fixture
def team(db):
    infra = make_department("인프라팀", "infra", slack_channel_id="CINFRA001")
    dev = make_department("개발팀", "dev", slack_channel_id="CDEV00001")
    return {
        "infra": infra,
        "dev": dev,
        "agent": make_employee("agent", role=Role.AGENT, department=infra, slack_user_id="UAGENT001").user,
        "member": make_employee("member", department=infra, slack_user_id="UMEMBER01").user,
        "outsider": make_employee("outsider", department=dev).user,
    }


def webhook_source(name, shape, auth=WebhookAuth.BEARER, team=None, **extra):
    return Source.objects.create(
        name=name,
        kind=SourceKind.WEBHOOK,
        shape=shape,
        auth=auth,
        secret=extra.pop("secret", "s3cret-value"),
        owner_team=team,
        **extra,
    )


@pytest.fixture
def prometheus(team):
    return webhook_source("Prometheus", Shape.ALERTMANAGER, team=team["infra"])
