"""The bigram index: Korean-aware substring matching backed by a GIN index on PostgreSQL.

Why not the usual tools: PostgreSQL ships no Korean dictionary for full-text search,
pg_trgm cannot use its index for 2-character patterns such as '장애', and Django's
``icontains`` (UPPER(..) LIKE) cannot use a trigram index at all. So we index the
distinct character bigrams of a column (``haru_bigrams(col)``, an IMMUTABLE SQL function
from migration core.0001) in a GIN index, filter with array containment, and re-check
the exact substring with ``strpos``. Any query of two or more characters uses the
index; a one-character query falls back to the plain scan.

Usage: ``Ticket.objects.filter(title__search_contains="장애")`` and, in a migration,
``bigram_index("tickets_ticket", "title")``. To search a model, use the planner
(erp.core.search.planner), which decides per query how to use these indexes.
"""

import re

from django.core.exceptions import EmptyResultSet
from django.db import migrations
from django.db.models import CharField, Field, Lookup, TextField
from django.db.models.lookups import In

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
# What one call costs, in PostgreSQL's units (cpu_operator_cost): regexp_replace, a series and a
# DISTINCT aggregate per row, ~1,000× a plain operator. Left at the default (100), the planner
# saw a sequential scan of a small table as cheaper than the GIN index and then ran the function
# on every row that passed strpos: the Slack search's probe cost 1.9 ms of backend CPU at 200
# tickets instead of ~1 ms (bench/README.md, Slack section). Migration core.0006 sets it.
BIGRAM_FUNCTION_COST = 1000
BIGRAM_FUNCTION_COST_SQL = f"ALTER FUNCTION haru_bigrams(text) COST {BIGRAM_FUNCTION_COST}"
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


def one_bigram(text: str) -> bool:
    """Whether ``text`` is two letters or digits: one bigram, with no whitespace to normalise."""
    return len(text) == 2 and text.isalnum()


class SearchBigram(SearchContains):
    """``search_contains`` for a text that is ``one_bigram`` (the caller checks): the index alone.

    A row whose bigrams hold the text's one bigram contains the text (both sides lower-cased;
    letters are never the whitespace a bigram leaves out), so the strpos re-check only costs:
    lower() on Hangul, ~15 µs a row, was 32 of the 36 ms of a frequent word's probe (2,000
    rows re-checked, bench/README.md, issue 14).
    """

    lookup_name = "search_bigram"

    def as_sql(self, compiler, connection):
        if connection.vendor != "postgresql":
            return super().as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"haru_bigrams({lhs}) @> haru_bigrams({rhs})", (*lhs_params, *rhs_params)


class InArray(In):
    """``pk__in_array=ids``: ``in`` with the values sent as ONE array on PostgreSQL (``= ANY(%s)``).

    The planner hands over up to 2,000 ids it found. As ``IN (%s, %s, …)`` Django resolved each
    value and psycopg split a query of as many placeholders: 28 ms of Python for the 667 ids of
    a frequent word in attendance corrections, several times the database's answer. PostgreSQL
    plans the two forms alike (it turns IN lists into ``= ANY``). Elsewhere: ``in`` itself.
    """

    lookup_name = "in_array"

    def as_postgresql(self, compiler, connection):
        if not self.rhs_is_direct_value():
            return super().as_sql(compiler, connection)
        values = [value for value in dict.fromkeys(self.rhs) if value is not None]
        if not values:
            raise EmptyResultSet
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*lhs_params, values)


def register_lookups() -> None:
    for lookup in (SearchContains, SearchBigram):
        CharField.register_lookup(lookup)
        TextField.register_lookup(lookup)
    Field.register_lookup(InArray)


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


_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")

RELATED_MATCH_FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION {name}(parent bigint, needle text, public_only boolean)
RETURNS boolean LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN EXISTS (
        SELECT 1 FROM {table}
        WHERE {parent_column} = parent{private_condition}
          AND strpos(lower({column}), lower(needle)) > 0
    );
END
$$;
"""


def related_match_function(
    name: str, *, table: str, parent_column: str, column: str, private: str | None = None
) -> migrations.RunPython:
    """Migration step creating ``name(parent, needle, public_only)``: "does this parent row have
    a related row whose ``column`` contains ``needle``" (with ``public_only``, ignoring rows whose
    boolean ``private`` column is set).

    The planner (erp.core.search.planner.RelatedText ``row_function``) calls it per parent row
    met along a sort index when a term is frequent in the related text. PL/pgSQL on purpose:
    the PostgreSQL planner cannot inline it, so it is never turned into a hashed subplan that
    scans every related row, but stays one probe of the (parent, …) index per row. Give the
    related table an index starting with ``parent_column``.
    """
    for identifier in (name, table, parent_column, column, private or "_"):
        if not _IDENTIFIER.match(identifier):
            raise ValueError(f"not a plain SQL identifier: {identifier!r}")
    private_condition = f"\n          AND (NOT public_only OR NOT {private})" if private else ""
    sql = RELATED_MATCH_FUNCTION_SQL.format(
        name=name, table=table, parent_column=parent_column, column=column, private_condition=private_condition
    )
    return postgresql_only(sql, f"DROP FUNCTION IF EXISTS {name}(bigint, text, boolean);")
