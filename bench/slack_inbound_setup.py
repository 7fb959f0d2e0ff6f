"""Setup for bench/slack_inbound.py: the bench database, people linked to Slack, tickets.

Split out of the benchmark script to keep it readable; nothing here runs on import.
"""

import random

AGENTS = 12
REQUESTERS = 30


def ensure_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(
                f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
            )


def seed(tickets: int) -> dict:
    """Reset the bench database and create people and tickets through the real services."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction

    from erp.people.models import Department, Employee, Role

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    User = get_user_model()
    infra = Department.objects.create(name="인프라팀", code="infra", slack_channel_id="CINFRA001")
    dev = Department.objects.create(name="개발팀", code="dev", slack_channel_id="CDEV00001")

    def person(username, role, department, slack_id):
        user = User.objects.create_user(username, f"{username}@bench.example", "pw")
        Employee.objects.create(
            user=user, display_name=username, role=role, department=department, slack_user_id=slack_id, language="en"
        )
        return user

    for i in range(AGENTS):
        person(f"agent{i:02d}", Role.AGENT, infra, f"UAGENT{i:03d}")
    requesters = [person(f"staff{i:02d}", Role.STAFF, dev, f"USTAFF{i:03d}") for i in range(REQUESTERS)]
    person("manager", Role.MANAGER, infra, "UMANAGER1")
    with transaction.atomic():  # one commit for the whole seed
        created = _create_tickets(tickets, infra, requesters)
    return {
        "tickets": created,
        "agents": [f"UAGENT{i:03d}" for i in range(AGENTS)],
        "requesters": [f"USTAFF{i:03d}" for i in range(REQUESTERS)],
        "infra_id": infra.pk,
    }


def _create_tickets(tickets: int, infra, requesters) -> list[tuple[int, str]]:
    from erp.audit.actor import Actor
    from tickets.services import ticket_create

    rng = random.Random(7)
    titles = [
        "VPN 접속 장애",
        "메일 발송 오류",
        "프린터 고장",
        "결제 페이지 오류",
        "노트북 교체 요청",
        "쿠폰 발송 실패",
    ]
    created = []
    for i in range(tickets):
        ticket = ticket_create(
            title=f"{rng.choice(titles)} #{i}",
            description="재택근무 중 연결이 끊깁니다. 확인 부탁드립니다.",
            group=infra,
            by=Actor(user=rng.choice(requesters)),
        )
        created.append((ticket.pk, ticket.number))
    return created
