"""Seed the priority matrix, default SLA policies and number counters; add the Korean
bigram search indexes (PostgreSQL only, see erp/core/search/bigrams.py)."""

from django.db import migrations

from erp.core.search import bigram_index

MATRIX = [
    ("high", "high", "P1"),
    ("high", "medium", "P2"),
    ("medium", "high", "P2"),
    ("high", "low", "P3"),
    ("medium", "medium", "P3"),
    ("low", "high", "P3"),
    ("medium", "low", "P4"),
    ("low", "medium", "P4"),
    ("low", "low", "P4"),
]
# priority, first response minutes, resolution minutes, clock
POLICIES = [
    ("P1", 15, 4 * 60, "24x7"),
    ("P2", 60, 8 * 60, "business"),
    ("P3", 4 * 60, 3 * 9 * 60, "business"),
    ("P4", 8 * 60, 5 * 9 * 60, "business"),
]


def seed(apps, schema_editor):
    PriorityMatrix = apps.get_model("tickets", "PriorityMatrix")
    SLAPolicy = apps.get_model("tickets", "SLAPolicy")
    TicketCounter = apps.get_model("tickets", "TicketCounter")
    for impact, urgency, priority in MATRIX:
        PriorityMatrix.objects.get_or_create(impact=impact, urgency=urgency, defaults={"priority": priority})
    for priority, first, resolution, calendar in POLICIES:
        SLAPolicy.objects.get_or_create(
            priority=priority,
            defaults={"first_response_minutes": first, "resolution_minutes": resolution, "calendar": calendar},
        )
    for ticket_type in ("incident", "service_request"):
        TicketCounter.objects.get_or_create(ticket_type=ticket_type)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_postgres_extensions"),
        ("tickets", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        bigram_index("tickets_ticket", "title"),
        bigram_index("tickets_ticket", "description"),
        bigram_index("tickets_comment", "body"),
    ]
