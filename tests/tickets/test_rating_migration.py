"""The move of satisfaction ratings from slack_inbound into tickets keeps every row (both ways)."""

from datetime import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from erp.workcalendar.calendar import KST

BEFORE = [("slack_inbound", "0001_initial"), ("tickets", "0004_satisfaction_rating")]
AFTER = [("slack_inbound", "0003_delete_satisfactionrating")]
GIVEN = datetime(2026, 9, 1, 10, 0, tzinfo=KST)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_stop_gap_ratings_are_copied_into_tickets_and_back():
    try:
        apps = migrate(BEFORE)
        User = apps.get_model("auth", "User")
        Ticket = apps.get_model("tickets", "Ticket")
        OldRating = apps.get_model("slack_inbound", "SatisfactionRating")
        requester = User.objects.create(username="rater")
        other = User.objects.create(username="other")
        first = Ticket.objects.create(number="INC-901", title="VPN", requester=requester, status="resolved")
        second = Ticket.objects.create(number="SR-902", title="권한", requester=other, status="closed")
        OldRating.objects.create(ticket=first, rated_by=requester, score=4)
        OldRating.objects.create(ticket=second, rated_by=other, score=2)
        OldRating.objects.update(created_at=GIVEN, updated_at=GIVEN)

        apps = migrate(AFTER)
        NewRating = apps.get_model("tickets", "SatisfactionRating")
        copied = {(r.ticket_id, r.rater_id, r.score, r.comment, r.updated_at) for r in NewRating.objects.all()}
        assert copied == {(first.pk, requester.pk, 4, "", GIVEN), (second.pk, other.pk, 2, "", GIVEN)}
        assert "slack_inbound_satisfactionrating" not in connection.introspection.table_names()

        NewRating.objects.filter(ticket_id=first.pk).update(score=5)
        apps = migrate(BEFORE)  # reversible: the rows go back to the old table
        OldRating = apps.get_model("slack_inbound", "SatisfactionRating")
        back = {(r.ticket_id, r.rated_by_id, r.score, r.updated_at) for r in OldRating.objects.all()}
        assert back == {(first.pk, requester.pk, 5, GIVEN), (second.pk, other.pk, 2, GIVEN)}
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
