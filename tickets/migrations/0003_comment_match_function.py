"""tickets_comment_match(): "does this ticket have a (public) comment containing the text?"

Used by the ticket search for terms that are frequent in comments (see
tickets.selectors.search_q). PL/pgSQL is deliberately opaque to the planner: it is never
inlined into a hashed subplan that scans every comment, but evaluated per ticket while the
list walks its sort index, one probe of the (ticket, created_at) index each. PostgreSQL
only; SQLite uses an EXISTS subquery instead.
"""

from django.db import migrations

from erp.core.search import postgresql_only

FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION tickets_comment_match(ticket bigint, needle text, public_only boolean)
RETURNS boolean LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN EXISTS (
        SELECT 1 FROM tickets_comment
        WHERE ticket_id = ticket
          AND (NOT public_only OR NOT internal)
          AND strpos(lower(body), lower(needle)) > 0
    );
END
$$;
"""
DROP_SQL = "DROP FUNCTION IF EXISTS tickets_comment_match(bigint, text, boolean);"


class Migration(migrations.Migration):
    dependencies = [("tickets", "0002_seed_and_search_indexes")]

    operations = [postgresql_only(FUNCTION_SQL, DROP_SQL)]
