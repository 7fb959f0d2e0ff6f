"""PostgreSQL features later apps rely on.

pg_trgm: similarity search on names; btree_gist: exclusion constraints that stop
double-booking of meeting rooms; haru_bigrams(): the Korean substring index (see
erp/core/search/bigrams.py). Every step is a no-op on SQLite.
"""

from django.contrib.postgres.operations import BtreeGistExtension, TrigramExtension
from django.db import migrations

from erp.core.search import BIGRAM_FUNCTION_SQL, DROP_BIGRAM_FUNCTION_SQL, postgresql_only


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        TrigramExtension(),
        BtreeGistExtension(),
        postgresql_only(BIGRAM_FUNCTION_SQL, DROP_BIGRAM_FUNCTION_SQL),
    ]
