"""People in every role and a few tickets, for the portal UX tests (issue 16)."""

import pytest

from erp.audit.actor import Actor
from erp.people.models import Department, Role
from tests.tickets.conftest import make_person
from tickets.models import Level
from tickets.services import ticket_create


@pytest.fixture
def infra(db):
    return Department.objects.create(name="인프라팀", code="infra")


@pytest.fixture
def dev(db):
    return Department.objects.create(name="개발팀", code="dev")


@pytest.fixture
def people(infra, dev):
    """staff (dev), agent and agent2 (infra), manager (infra, manager of the staff), admin."""
    people = {
        "staff": make_person("yejun", dev, Role.STAFF),
        "agent": make_person("seoyeon", infra, Role.AGENT),
        "agent2": make_person("dohyun", infra, Role.AGENT),
        "other_agent": make_person("jiwoo", dev, Role.AGENT),
        "manager": make_person("hayoon", infra, Role.MANAGER),
        "admin": make_person("admin_user", infra, Role.ADMIN),
    }
    names = {"yejun": "윤예준", "seoyeon": "이서연", "dohyun": "박도현", "jiwoo": "최지우", "hayoon": "정하윤"}
    for user in people.values():
        employee = user.employee
        employee.display_name = names.get(user.username, "관리자")
        if user.username == "yejun":
            employee.manager = people["manager"].employee
        employee.save()
    return people


@pytest.fixture
def tickets(people, infra):
    """Three open infra tickets requested by the staff member (one unassigned, one P1)."""
    by = Actor(user=people["staff"])
    return [
        ticket_create(title="VPN 접속 장애", description="재택 중 VPN이 끊깁니다.", group=infra, by=by),
        ticket_create(title="노트북 부팅 불가", group=infra, impact=Level.LOW, urgency=Level.LOW, by=by),
        # A P1 is raised by an agent on the requester's behalf (the default P1 policy, tickets/p1_policy.py).
        ticket_create(
            title="결제 서버 장애",
            group=infra,
            impact=Level.HIGH,
            urgency=Level.HIGH,
            requester=people["staff"],
            by=Actor(user=people["agent"]),
        ),
    ]
