"""Storing checked rows: PostgreSQL COPY into a staging table, then one set-based upsert;
elsewhere (SQLite) the ORM in chunks, with the same outcome row for row.

Idempotent on tr_id: a row whose stored values already equal the file's is left alone (not
even ``updated_at`` moves), so a re-run reports 0 added, 0 updated. Only the columns the file
maps are written on an existing row (a sheet without PIN status codes must not blank the status
the poller found). An anonymised row keeps its blank phone whatever a file says (retention
outranks a re-import of an old export).
"""

from datetime import datetime

from django.db import IntegrityError, connection, transaction

from ..models import SendLog

COLUMNS = (
    "tr_id",
    "client_id",
    "campaign_id",
    "goods_id",
    "phone",
    "phone_last4",
    "sent_at",
    "result_code",
    "result_message",
    "succeeded",
    "delivered",
    "order_no",
    "pin_status_code",
    "pin_status",
    "valid_until",
    "sell_price",
    "consumer_price",
)
ALWAYS_WRITTEN = ("client_id", "phone", "phone_last4", "sent_at")
# Which file field makes which columns part of an update.
WRITTEN_BY_FIELD = {
    "campaign": ("campaign_id",),
    "goods_code": ("goods_id",),
    "result_code": ("result_code", "result_message", "succeeded", "delivered"),
    "result_message": ("result_message",),
    "order_no": ("order_no",),
    "pin_status_code": ("pin_status_code", "pin_status"),
    "valid_until": ("valid_until",),
    "sell_price": ("sell_price",),
    "consumer_price": ("consumer_price",),
}
PHONE_COLUMNS = ("phone", "phone_last4")
_STAGE = "coupons_sendlog_stage"
_TABLE = SendLog._meta.db_table


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    """One value in COPY's text format (NULL is \\N; backslash, tab and newlines escaped)."""
    kind = value.__class__
    if kind is str:
        return (
            value.translate(_ESCAPES) if ("\\" in value or "\t" in value or "\n" in value or "\r" in value) else value
        )
    if value is None:
        return "\\N"
    if kind is bool:
        return "t" if value else "f"
    if kind is int:
        return str(value)
    return value.isoformat()


def _incoming(column: str, new: str) -> str:
    """The value a write gives ``column`` from the row ``new``: an anonymised row keeps its blank phone."""
    if column in PHONE_COLUMNS:
        return f"CASE WHEN t.anonymised_at IS NULL THEN {new}.{column} ELSE t.{column} END"
    return f"{new}.{column}"


def _changed(updates: tuple[str, ...], new: str) -> str:
    stored = ", ".join(f"t.{column}" for column in updates)
    arriving = ", ".join(_incoming(column, new) for column in updates)
    return f"({stored}) IS DISTINCT FROM ({arriving})"


def upsert_sql(updates: tuple[str, ...], source: str, *, returning: str = "t.tr_id, (t.xmax = 0)") -> str:
    """INSERT … ON CONFLICT (tr_id) of ``source`` (a SELECT of COLUMNS then updated_at) writing
    ``updates`` on existing rows, and only on rows where one of them differs. RETURNING says
    which rows were inserted (``returning`` ends with that flag)."""
    sets = ", ".join(f"{column} = {_incoming(column, 'EXCLUDED')}" for column in updates)
    return (
        f"INSERT INTO {_TABLE} AS t ({', '.join(COLUMNS)}, updated_at) {source} "
        f"ON CONFLICT (tr_id) DO UPDATE SET {sets}, updated_at = EXCLUDED.updated_at "
        f"WHERE {_changed(updates, 'EXCLUDED')} "
        f"RETURNING {returning} AS inserted"
    )


def update_then_insert(cursor, updates: tuple[str, ...], source: str, now: datetime) -> tuple[int, int]:
    """The upsert of ``source`` (a SELECT of COLUMNS, named as them) as an UPDATE of the rows that
    exist and differ, then a plain INSERT of the others: a plain INSERT skips ON CONFLICT's
    speculative insertion, ~23 % of a million-row upsert (bench/README.md). Should a concurrent
    writer store one of the tr_ids in between, the INSERT fails alone (a savepoint) and the
    upsert settles the rest. Returns (inserted, updated)."""
    sets = ", ".join(f"{column} = {_incoming(column, 's')}" for column in updates)
    cursor.execute(
        f"UPDATE {_TABLE} AS t SET {sets}, updated_at = %s FROM ({source}) AS s "
        f"WHERE t.tr_id = s.tr_id AND {_changed(updates, 's')}",
        [now],
    )
    updated = cursor.rowcount
    try:
        with transaction.atomic():
            cursor.execute(
                f"INSERT INTO {_TABLE} ({', '.join(COLUMNS)}, updated_at) SELECT s.*, %s FROM ({source}) AS s "
                f"WHERE NOT EXISTS (SELECT FROM {_TABLE} AS t WHERE t.tr_id = s.tr_id)",
                [now],
            )
            return cursor.rowcount, updated
    except IntegrityError:
        upsert = upsert_sql(updates, f"SELECT s.*, %s FROM ({source}) AS s", returning="(t.xmax = 0)")
        inserted, late = count_upsert(cursor, upsert, [now])
        return inserted, updated + late


def count_upsert(cursor, upsert: str, params) -> tuple[int, int]:
    """Runs ``upsert`` (from upsert_sql) and returns (inserted, updated)."""
    cursor.execute(
        f"WITH up AS ({upsert}) SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM up",
        params,
    )
    return tuple(cursor.fetchone())


def update_columns(mapped_fields) -> tuple[str, ...]:
    written = list(ALWAYS_WRITTEN)
    for key in mapped_fields:
        for column in WRITTEN_BY_FIELD.get(key, ()):
            if column not in written:
                written.append(column)
    return tuple(column for column in COLUMNS if column in written)


class Writer:
    """Collects rows chunk by chunk inside the caller's transaction; ``finish()`` stores them and
    returns (inserted, updated, {tr_id: "created" | "updated"} when ``outcomes`` was asked)."""

    def __init__(self, updates: tuple[str, ...], *, now: datetime, outcomes: bool = False):
        self.updates = updates
        self.now = now
        self.want_outcomes = outcomes
        self.postgres = connection.vendor == "postgresql"
        self.inserted = self.updated = 0
        self.outcomes: dict[str, str] = {}
        self._copy_started = False
        if self.postgres:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"CREATE TEMP TABLE IF NOT EXISTS {_STAGE} ON COMMIT DELETE ROWS AS "
                    f"SELECT {', '.join(COLUMNS)} FROM {_TABLE} WITH NO DATA"
                )
                cursor.execute(f"TRUNCATE {_STAGE}")

    def add(self, rows: list[tuple]) -> None:
        if not rows:
            return
        if self.postgres:
            with (
                connection.cursor() as cursor,
                cursor.cursor.copy(f"COPY {_STAGE} ({', '.join(COLUMNS)}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
        else:
            self._orm_upsert(rows)

    def finish(self):
        if self.postgres:
            self._sql_upsert()
        return self.inserted, self.updated, self.outcomes

    def _sql_upsert(self) -> None:
        upsert = upsert_sql(self.updates, f"SELECT {', '.join(COLUMNS)}, %s FROM {_STAGE}")
        with connection.cursor() as cursor:
            if self.want_outcomes:
                cursor.execute(upsert, [self.now])
                for tr_id, inserted in cursor.fetchall():
                    self.outcomes[tr_id] = "created" if inserted else "updated"
                    self.inserted += inserted
                self.updated = len(self.outcomes) - self.inserted
            else:
                self.inserted, self.updated = count_upsert(cursor, upsert, [self.now])

    def _orm_upsert(self, rows: list[tuple]) -> None:
        index = {column: position for position, column in enumerate(COLUMNS)}
        by_tr_id = {row[0]: row for row in rows}
        existing = {}
        tr_ids = list(by_tr_id)
        for start in range(0, len(tr_ids), 500):
            for send in SendLog.objects.filter(tr_id__in=tr_ids[start : start + 500]):
                existing[send.tr_id] = send
        created, changed = [], []
        for tr_id, row in by_tr_id.items():
            send = existing.get(tr_id)
            if send is None:
                created.append(SendLog(**dict(zip(COLUMNS, row, strict=True)), updated_at=self.now))
                continue
            dirty = False
            for column in self.updates:
                if column in PHONE_COLUMNS and send.anonymised_at is not None:
                    continue
                value = row[index[column]]
                if getattr(send, column) != value:
                    setattr(send, column, value)
                    dirty = True
            if dirty:
                send.updated_at = self.now
                changed.append(send)
        SendLog.objects.bulk_create(created, batch_size=500)
        # auto_now would move updated_at anyway; it is set explicitly to the import's moment.
        SendLog.objects.bulk_update(changed, [*self.updates, "updated_at"], batch_size=500)
        self.inserted += len(created)
        self.updated += len(changed)
        if self.want_outcomes:
            self.outcomes.update({send.tr_id: "created" for send in created})
            self.outcomes.update({send.tr_id: "updated" for send in changed})
