"""haru_bigrams() declares what it costs, so small tables' searches use the bigram index too.

See BIGRAM_FUNCTION_COST in erp/core/search/bigrams.py. A no-op on SQLite.
"""

from django.db import migrations

from erp.core.search import BIGRAM_FUNCTION_COST_SQL, postgresql_only


class Migration(migrations.Migration):
    dependencies = [("core", "0005_merge_retention_and_security_settings")]

    operations = [
        postgresql_only(BIGRAM_FUNCTION_COST_SQL, "ALTER FUNCTION haru_bigrams(text) COST 100"),
    ]
