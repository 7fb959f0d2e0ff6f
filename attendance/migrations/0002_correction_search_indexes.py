"""Bigram search indexes on correction reasons and decision notes (PostgreSQL only; see
erp/core/search/bigrams.py), for the attendance search source."""

from django.db import migrations

from erp.core.search import bigram_index


class Migration(migrations.Migration):
    dependencies = [("attendance", "0001_initial"), ("core", "0001_postgres_extensions")]

    operations = [
        bigram_index("attendance_correction", "reason"),
        bigram_index("attendance_correction", "decision_note"),
    ]
