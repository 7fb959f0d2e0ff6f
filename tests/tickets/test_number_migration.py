"""Migration 0005 starts each number sequence past the numbers already in use (PostgreSQL)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from erp.audit.actor import Actor
from tickets.models import TicketCounter
from tickets.services import ticket_create

BEFORE = [("tickets", "0004_satisfaction_rating")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_sequences_start_past_existing_numbers_and_the_counter(people, infra):
    try:
        apps = migrate(BEFORE)
        assert "tickets_number_incident_seq" not in _sequences()
        Ticket = apps.get_model("tickets", "Ticket")
        Ticket.objects.create(number="INC-41", title="이전 티켓", requester_id=people["requester"].pk)
        Ticket.objects.create(number="INC-7", title="더 이전", requester_id=people["requester"].pk)
        # SR: no tickets left, but the counter handed out 12 numbers (deleted or rolled back ones).
        TicketCounter.objects.update_or_create(ticket_type="service_request", defaults={"last_number": 12})

        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
        by = Actor(user=people["requester"])
        assert ticket_create(title="새 장애", group=infra, by=by).number == "INC-42"
        assert ticket_create(title="새 요청", ticket_type="service_request", group=infra, by=by).number == "SR-13"

        migrate(BEFORE)  # reversible: the counter rows take over where the sequences were
        assert set(TicketCounter.objects.values_list("ticket_type", "last_number")) >= {
            ("incident", 42),
            ("service_request", 13),
        }
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def _sequences() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT sequence_name FROM information_schema.sequences")
        return {row[0] for row in cursor.fetchall()}
