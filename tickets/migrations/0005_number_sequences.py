"""One PostgreSQL sequence per ticket type for human numbers (INC-123, SR-45).

nextval() is not transactional, so concurrent ticket creations no longer queue on the
TicketCounter row lock for the rest of their transaction; the price is a gap in the
numbers when a creation rolls back (acceptable: numbers are names, not an audit count).
Each sequence starts past the highest number already used (and past the counter), so
existing numbers are never handed out again. SQLite keeps the locked counter row.
The reverse step writes the sequences' progress back into the counter rows first.
"""

from django.db import migrations

from erp.core.search import postgresql_only

# Frozen copies (a migration must not follow later code changes): type -> (prefix, sequence).
TYPES = {
    "incident": ("INC", "tickets_number_incident_seq"),
    "service_request": ("SR", "tickets_number_service_request_seq"),
}


def _highest(ticket_type: str, prefix: str) -> str:
    """SQL: the highest number of a type in use, from the tickets and from the counter row."""
    return (
        "GREATEST("
        f"(SELECT max(substring(number from '[0-9]+$')::bigint) FROM tickets_ticket WHERE number ~ '^{prefix}-[0-9]+$'),"
        f"(SELECT last_number FROM tickets_ticketcounter WHERE ticket_type = '{ticket_type}'),"
        "0)"
    )


def forward_sql() -> str:
    statements = []
    for ticket_type, (prefix, sequence) in TYPES.items():
        statements.append(f"CREATE SEQUENCE IF NOT EXISTS {sequence} AS bigint MINVALUE 1")
        # is_called = false: the next nextval() returns exactly highest + 1.
        statements.append(f"SELECT setval('{sequence}', {_highest(ticket_type, prefix)} + 1, false)")
    return ";\n".join(statements)


def reverse_sql() -> str:
    statements = []
    for ticket_type, (prefix, sequence) in TYPES.items():
        statements.append(
            f"INSERT INTO tickets_ticketcounter (ticket_type, last_number) "
            f"VALUES ('{ticket_type}', {_highest(ticket_type, prefix)}) "
            "ON CONFLICT (ticket_type) DO UPDATE SET last_number = EXCLUDED.last_number"
        )
        statements.append(f"DROP SEQUENCE IF EXISTS {sequence}")
    return ";\n".join(statements)


class Migration(migrations.Migration):
    dependencies = [("tickets", "0004_satisfaction_rating")]

    operations = [postgresql_only(forward_sql(), reverse_sql())]
