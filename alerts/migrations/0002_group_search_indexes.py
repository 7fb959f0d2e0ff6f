"""Bigram search indexes on alert group titles, keys and summaries (PostgreSQL only; see
erp/core/search/bigrams.py), for the alerts search source and the groups list."""

from django.db import migrations

from erp.core.search import bigram_index


class Migration(migrations.Migration):
    dependencies = [("alerts", "0001_initial"), ("core", "0001_postgres_extensions")]

    operations = [
        bigram_index("alerts_alertgroup", "title"),
        bigram_index("alerts_alertgroup", "key"),
        bigram_index("alerts_alertgroup", "summary"),
    ]
