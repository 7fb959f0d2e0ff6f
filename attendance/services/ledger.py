"""Bulk writes of the ingestion path on PostgreSQL: COPY into a session-scoped staging table,
then one INSERT … SELECT … ON CONFLICT … RETURNING (punches: DO NOTHING, idempotent on the
device event id; work days: DO UPDATE of the derived columns). Elsewhere: the ORM's bulk calls.

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


def _stage(cursor, stage: str, table: str, columns: str, rows) -> None:
    # A temporary table lives as long as the (pooled) connection; ON COMMIT DELETE ROWS empties
    # it at the end of every transaction. CREATE … AS … WITH NO DATA copies the column types
    # only, no constraints or identity.
    cursor.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {stage} ON COMMIT DELETE ROWS AS SELECT {columns} FROM {table} WITH NO DATA"
    )
    cursor.execute(f"TRUNCATE {stage}")
    with cursor.cursor.copy(f"COPY {stage} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def insert_punches(rows: list[tuple], *, now: datetime) -> list[tuple[int, int | None, datetime]]:
    """Insert punch rows (tuples in COLUMNS order, ``raw`` a dict, ``received_at`` None) skipping
    (device, event id) pairs already stored; returns the new rows' (id, employee_id, at). Call
    inside a transaction; rows sorted by event id make concurrent replays lock keys in one order."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        objects = [Punch(**dict(zip(COLUMNS, row, strict=True))) for row in rows]
        Punch.objects.bulk_create(objects, ignore_conflicts=True, batch_size=1000)
        batch_ids = {obj.batch_id for obj in objects}
        return list(Punch.objects.filter(batch_id__in=batch_ids).values_list("id", "employee_id", "at"))
    columns = ", ".join(COLUMNS)
    with connection.cursor() as cursor:
        _stage(cursor, _STAGE, "attendance_punch", columns, (row[:10] + (Jsonb(row[10]), now) for row in rows))
        cursor.execute(
            f"INSERT INTO attendance_punch ({columns}) SELECT {columns} FROM {_STAGE} ORDER BY device_event_id "
            f"ON CONFLICT DO NOTHING RETURNING id, employee_id, at"
        )
        return list(cursor.fetchall())


def upsert_work_days(work_days: list, *, fields: tuple[str, ...], now: datetime) -> None:
    """Insert or update WorkDay rows on (employee, date), writing only the derived ``fields``
    (corrections, leave and reminder marks stay as they are). Sets the pk of new instances."""
    names = ("employee_id", "date", "week_start", *fields, "derived_at")
    columns = ", ".join(names)
    rows = ((wd.employee_id, wd.date, wd.week_start, *(getattr(wd, f) for f in fields), now) for wd in work_days)
    updates = ", ".join(f"{name} = EXCLUDED.{name}" for name in (*fields, "derived_at"))
    with connection.cursor() as cursor:
        _stage(cursor, "attendance_workday_stage", "attendance_workday", columns, rows)
        cursor.execute(
            f"INSERT INTO attendance_workday ({columns}, on_leave) "
            f"SELECT {columns}, false FROM attendance_workday_stage ORDER BY employee_id, date "
            f"ON CONFLICT ON CONSTRAINT att_workday_employee_date DO UPDATE SET {updates} "
            f"RETURNING id, employee_id, date"
        )
        ids = {(employee_id, day): pk for pk, employee_id, day in cursor.fetchall()}
    for wd in work_days:
        wd.pk = ids[(wd.employee_id, wd.date)]
        wd.derived_at = now
        wd._state.adding = False
