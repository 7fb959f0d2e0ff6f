"""Bigram search indexes on client and campaign names (PostgreSQL only; see
erp/core/search/bigrams.py), for the coupon search source and the send-log search box."""

from django.db import migrations

from erp.core.search import bigram_index


class Migration(migrations.Migration):
    dependencies = [("coupons", "0001_initial"), ("core", "0001_postgres_extensions")]

    operations = [
        bigram_index("coupons_client", "name"),
        bigram_index("coupons_campaign", "name"),
    ]
