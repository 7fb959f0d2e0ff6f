"""Ticket test fixtures: an infra and a dev group with people in every role, and a clock."""

from datetime import datetime, timedelta

import pytest
from django.contrib.auth import get_user_model

from erp.audit.actor import Actor
from erp.people.models import Department, Employee, Role
from erp.workcalendar.calendar import KST
from tickets.models import Level, TicketType
from tickets.services import ticket_comment, ticket_create


def make_person(username, department=None, role=Role.STAFF, *, superuser=False):
    user = get_user_model().objects.create_user(
        username=username, password="pw-for-tests-1", is_superuser=superuser, is_staff=superuser or role == Role.ADMIN
    )
    Employee.objects.create(user=user, display_name=username, department=department, role=role)
    return user


@pytest.fixture(autouse=True)
def _ticket_numbers_from_one(request):
    """PostgreSQL's number sequences survive test rollbacks; restart them like SQLite's counter rows.

    setval() is not transactional, so it holds whether it runs inside the test's transaction or not.
    """
    from django.db import connection

    marker = request.node.get_closest_marker("django_db")
    if connection.vendor != "postgresql" or not (marker or {"db", "transactional_db"} & set(request.fixturenames)):
        return
    request.getfixturevalue("django_db_setup")
    with request.getfixturevalue("django_db_blocker").unblock():
        from tickets.services.numbering import sync_number_sequences

        sync_number_sequences()


@pytest.fixture
def infra(db):
    return Department.objects.create(name="인프라팀", code="infra")


@pytest.fixture
def dev(db):
    return Department.objects.create(name="개발팀", code="dev")


@pytest.fixture
def people(infra, dev):
    """requester (staff, dev), agent & agent2 & manager (infra), other_agent & other_manager (dev), admin."""
    return {
        "requester": make_person("requester", dev, Role.STAFF),
        "colleague": make_person("colleague", dev, Role.STAFF),
        "agent": make_person("agent", infra, Role.AGENT),
        "agent2": make_person("agent2", infra, Role.AGENT),
        "manager": make_person("manager", infra, Role.MANAGER),
        "other_agent": make_person("other_agent", dev, Role.AGENT),
        "other_manager": make_person("other_manager", dev, Role.MANAGER),
        "admin": make_person("admin_user", infra, Role.ADMIN),
    }


@pytest.fixture
def new_ticket(people, infra):
    """Factory: a ticket requested by people['requester'] in the infra group."""

    def create(**kwargs):
        kwargs.setdefault("title", "VPN 접속 장애")
        kwargs.setdefault("description", "재택근무 중 VPN 연결이 끊깁니다.")
        kwargs.setdefault("group", infra)
        kwargs.setdefault("impact", Level.MEDIUM)
        kwargs.setdefault("urgency", Level.MEDIUM)
        kwargs.setdefault("ticket_type", TicketType.INCIDENT)
        by = kwargs.pop("by", None) or people["requester"]
        return ticket_create(by=Actor(user=by), **kwargs)

    return create


class Clock:
    """A controllable ``timezone.now`` for SLA tests (no freezegun in the stack)."""

    def __init__(self, start: datetime):
        self.now = start

    def __call__(self):
        return self.now

    def set(self, *args):
        self.now = datetime(*args, tzinfo=KST)

    def advance(self, **delta):
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(datetime(2026, 9, 21, 9, 0, tzinfo=KST))
    monkeypatch.setattr("django.utils.timezone.now", clock)
    return clock


@pytest.fixture
def signal_log():
    """Records every tickets domain signal sent during the test: [(name, kwargs), ...]."""
    from tickets import signals

    log = []
    receivers = []
    for name in dir(signals):
        signal = getattr(signals, name)
        if name.startswith("ticket_") and hasattr(signal, "connect"):

            def receiver(sender, _name=name, **kwargs):
                kwargs.pop("signal", None)
                log.append((_name, kwargs))

            signal.connect(receiver, weak=False)
            receivers.append((signal, receiver))
    yield log
    for signal, receiver in receivers:
        signal.disconnect(receiver)


@pytest.fixture
def matrix_ticket(new_ticket, people):
    """Factory for the permission matrix ticket (see matrix.py)."""
    from tickets.models import Ticket

    def create(sensitive):
        ticket = new_ticket(sensitive=sensitive)
        # Assign without signals/services noise: the matrix is about reading rights.
        Ticket.objects.filter(pk=ticket.pk).update(assignee=people["agent2"])
        ticket.refresh_from_db()
        return ticket

    return create


@pytest.fixture
def search_tickets(new_ticket, people, dev, clock):
    """Tickets to search: a term in several titles (장애), one only in a public comment and an
    internal note (방화벽), one only in an internal note (누락), a sensitive ticket, another group's."""
    specs = {
        "outage": {"title": "결제 서버 장애", "description": "오전부터 결제가 실패합니다."},
        "secret": {"title": "인사 시스템 장애", "description": "급여 파일 권한", "sensitive": True},
        "dev": {"title": "빌드 서버 장애", "description": "CI 중단", "group": dev, "by": people["colleague"]},
        "noted": {"title": "쿠폰 발송 문의", "description": "발송 이력 확인 요청"},
    }
    made = {}
    for name, spec in specs.items():  # one a minute, in this order
        clock.advance(minutes=1)
        made[name] = new_ticket(**spec)
    ticket_comment(ticket=made["noted"], body="원인: 방화벽 정책 누락", internal=True, by=people["agent"])
    ticket_comment(ticket=made["outage"], body="방화벽 재시작 후 정상", by=people["agent"])
    return made
