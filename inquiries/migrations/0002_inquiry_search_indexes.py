"""Bigram search indexes on the inquiry text and internal notes (PostgreSQL only; see
erp/core/search/bigrams.py), for the inquiries search source and list search."""

from django.db import migrations

from erp.core.search import bigram_index


class Migration(migrations.Migration):
    dependencies = [("inquiries", "0001_initial"), ("core", "0001_postgres_extensions")]

    operations = [
        bigram_index("inquiries_inquiry", "customer_name"),
        bigram_index("inquiries_inquiry", "company"),
        bigram_index("inquiries_inquiry", "subject"),
        bigram_index("inquiries_inquiry", "message"),
        bigram_index("inquiries_note", "body"),
    ]
