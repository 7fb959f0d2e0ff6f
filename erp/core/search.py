"""Korean-aware substring search backed by a bigram GIN index on PostgreSQL.

Why not the usual tools: PostgreSQL ships no Korean dictionary for full-text search,
pg_trgm cannot use its index for 2-character patterns such as '장애', and Django's
``icontains`` (UPPER(..) LIKE) cannot use a trigram index at all. So we index the
distinct character bigrams of a column (``haru_bigrams(col)``, an IMMUTABLE SQL function
from migration core.0001) in a GIN index, filter with array containment, and re-check
the exact substring with ``strpos``. Any query of two or more characters uses the
index; a one-character query falls back to the plain scan.

Usage: ``Ticket.objects.filter(title__search_contains="장애")`` and, in a migration,
``bigram_index("tickets_ticket", "title")``.
"""

from django.db import migrations
from django.db.models import CharField, Lookup, TextField

BIGRAM_FUNCTION_SQL = r"""
CREATE OR REPLACE FUNCTION haru_bigrams(doc text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT gram), '{}')
    FROM (
        SELECT substr(t, i, 2) AS gram
        FROM (SELECT lower(regexp_replace(doc, '\s+', ' ', 'g')) AS t) AS normalized,
             generate_series(1, greatest(length(t) - 1, 0)) AS i
    ) AS grams
    WHERE gram !~ '\s'
$$;
"""
DROP_BIGRAM_FUNCTION_SQL = "DROP FUNCTION IF EXISTS haru_bigrams(text);"


class SearchContains(Lookup):
    """Case-insensitive substring match that uses the bigram index on PostgreSQL."""

    lookup_name = "search_contains"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        if connection.vendor == "postgresql":
            sql = f"(haru_bigrams({lhs}) @> haru_bigrams({rhs}) AND strpos(lower({lhs}), lower({rhs})) > 0)"
            return sql, (*lhs_params, *rhs_params, *lhs_params, *rhs_params)
        return f"instr(lower({lhs}), lower({rhs})) > 0", (*lhs_params, *rhs_params)


def register_lookups() -> None:
    CharField.register_lookup(SearchContains)
    TextField.register_lookup(SearchContains)


def _run_on_postgresql(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


def postgresql_only(forward_sql: str, reverse_sql: str) -> migrations.RunPython:
    """A migration step that runs on PostgreSQL and is a no-op on SQLite."""
    return migrations.RunPython(_run_on_postgresql(forward_sql), _run_on_postgresql(reverse_sql))


def bigram_index(table: str, column: str) -> migrations.RunPython:
    """Migration step creating the GIN bigram index that ``search_contains`` uses."""
    name = f"{table}_{column}_bigram"[:63]
    return postgresql_only(
        f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (haru_bigrams({column}))",
        f"DROP INDEX IF EXISTS {name}",
    )
