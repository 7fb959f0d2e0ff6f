"""Bigram search indexes on leave reasons and approvers' comments (PostgreSQL only; see
erp/core/search/bigrams.py), for the leave search source."""

from django.db import migrations

from erp.core.search import bigram_index


class Migration(migrations.Migration):
    dependencies = [("leave", "0002_seed_leave_types"), ("core", "0001_postgres_extensions")]

    operations = [
        bigram_index("leave_leaverequest", "reason"),
        bigram_index("leave_leaverequest", "decision_note"),
    ]
