"""Idempotent bulk insert of device punches: PostgreSQL COPY into a staging table, then
INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING; elsewhere bulk_create(ignore_conflicts).

Why COPY: with 500 punches per request, binding every value through the ORM's INSERT dominated
the webhook's time (array dumping and quoting in Python). COPY streams rows in PostgreSQL's text
format, and RETURNING tells exactly which rows were new without a second query.
"""

from datetime import datetime

from django.db import connection
from psycopg.types.json import Jsonb

from ..models import Punch

# Written per row, in this order, to the staging table and then to attendance_punch.
COLUMNS = (
    "source",
    "device_id",
    "batch_id",
    "device_event_id",
    "employee_identifier",
    "employee_id",
    "at",
    "direction",
    "location",
    "place",
    "raw",
    "received_at",
)
_STAGE = "attendance_punch_stage"


def insert_punches(rows: list[Punch], *, now: datetime) -> list[tuple[int, int | None, datetime]]:
    """Insert ``rows`` skipping (device, event id) pairs already stored; returns the new rows'
    (id, employee_id, at). Call inside a transaction; rows should be sorted by event id so two
    concurrent replays take the unique-index locks in the same order."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        Punch.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        batch_ids = {row.batch_id for row in rows}
        return list(Punch.objects.filter(batch_id__in=batch_ids).values_list("id", "employee_id", "at"))
    columns = ", ".join(COLUMNS)
    with connection.cursor() as cursor:
        # A temporary table lives as long as the (pooled) connection; ON COMMIT DELETE ROWS
        # empties it at the end of every transaction.
        # (CREATE … AS … WITH NO DATA copies the column types only, no constraints or identity.)
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {_STAGE} ON COMMIT DELETE ROWS "
            f"AS SELECT {columns} FROM attendance_punch WITH NO DATA"
        )
        cursor.execute(f"TRUNCATE {_STAGE}")
        with cursor.cursor.copy(f"COPY {_STAGE} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(
                    (
                        row.source,
                        row.device_id,
                        row.batch_id,
                        row.device_event_id,
                        row.employee_identifier,
                        row.employee_id,
                        row.at,
                        row.direction,
                        row.location,
                        row.place,
                        Jsonb(row.raw),
                        now,
                    )
                )
        cursor.execute(
            f"INSERT INTO attendance_punch ({columns}) SELECT {columns} FROM {_STAGE} ORDER BY device_event_id "
            f"ON CONFLICT DO NOTHING RETURNING id, employee_id, at"
        )
        return list(cursor.fetchall())
