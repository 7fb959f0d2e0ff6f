"""Rollups: the small tables reports read, kept current by folding in what changed.

A module declares, once, what each of its records contributes, and registers it from its
AppConfig.ready()::

    register_rollup(Rollup(
        key="tickets", label=_("Tickets"),
        records=lambda: Ticket.objects.only(...),       # what ``contribute`` reads
        contribute=ticket_cells,                        # record -> [Cell(metric, day, scope, person, extra, value)]
        feeds=(ChangeFeed(Ticket, "updated_at"), ChangeFeed(SatisfactionRating, "updated_at", "ticket_id")),
    ))

How changes reach the rollup, either way or both:
- ``feeds``: an indexed "last changed" column; each fold reads the ids changed since the last
  one (with an overlap, so a transaction that committed late is not missed);
- ``signals``: ``(signal, ids_of)`` pairs; the registry connects a receiver that records the
  ids in RollupChange inside the domain transaction (committed with the change, or not at all).

A fold (``fold(rollup)``: beat every minute, and before a report when asked) loads the changed
records, computes their cells, compares them with what they contributed last time (RollupFact)
and adds the difference to RollupCell. So a fold costs what changed, never a scan of the
module's table (except the very first, which is the backfill), and a record's old
contribution is always taken back exactly, whatever changed (a reopened ticket leaves its old
"resolved" day). Records that disappeared take their contribution with them.

Two ways to apply it, same results (tests/history compare both with raw aggregates):
- PostgreSQL (``_fold_set_based``): the records' cells go into a temporary table (computed by
  ``cells_sql`` in the database, or streamed by COPY from ``contribute``), then one statement
  does the rest, whatever the number of records: the new cells minus the old facts (read once,
  from RollupFact's JSON in SQL) upserted into RollupCell, and the facts that changed rewritten,
  added or dropped.
- Elsewhere (SQLite, the embedded default): ``fold_records`` diffs record by record in Python.

A rollup may also declare its cells as SQL (``cells_sql``: one CellSQL per kind of cell, over the
columns of ``records()``). PostgreSQL's fold then computes them in the database with one
``INSERT … SELECT`` instead of reading every record into Python and calling ``contribute``:
that Python half was about half of a 100,000-record fold (bench/README.md, issue 14).
``contribute`` stays the definition SQLite folds with, and the reference the SQL is tested
against (tests/history: ``declared_cells`` equals ``contribute`` on the same records).
"""

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Model, QuerySet
from django.db.models.expressions import RawSQL
from django.dispatch import Signal
from django.utils import timezone

from .models import RollupCell, RollupChange, RollupCursor, RollupFact

BATCH = 5000
UPSERT_ROWS = 1000
# Past this many cells (or facts) written, the fold refreshes the planner's statistics of
# RollupCell (RollupFact): a backfill or an import's fold changes the table's shape, and reports
# (the next fold) read it right after.
ANALYZE_AFTER_CELLS = 5000
# A row whose transaction committed after a fold started may carry an older "changed" stamp.
FEED_OVERLAP = timedelta(minutes=10)


@dataclass(frozen=True)
class Cell:
    metric: str
    day: date
    scope: int = 0
    person: int = 0
    extra: int = 0
    value: float = 1

    def row(self) -> list:
        return [self.metric, self.day.isoformat(), self.scope or 0, self.person or 0, self.extra or 0, self.value]


@dataclass(frozen=True)
class ChangeFeed:
    """``model.field`` (an indexed datetime) says when a row changed; ``record`` names the rollup
    record's id; ``where()`` narrows the rows (e.g. the audit events of one model)."""

    model: type[Model]
    field: str
    record: str = "pk"
    where: Callable[[], Any] | None = None


@dataclass(frozen=True)
class CellSQL:
    """One kind of cell as SQL expressions over the columns ``records()`` selects (by name, as in
    its ``values()``): ``when`` says whether a record has this cell, the others are its key and
    value, as in ``Cell``. Write them as trusted constants: they are pasted into the statement
    (so no ``%`` either), never built from input."""

    metric: str
    day: str
    scope: str = "0"
    person: str = "0"
    extra: str = "0"
    value: str = "1"
    when: str = "true"


def sql_minutes(interval_column: str) -> str:
    """CellSQL for "minutes, never negative" of an interval column: the same float as Python's
    ``max(duration.total_seconds(), 0) / 60``."""
    return f"greatest(extract(epoch FROM {interval_column}), 0)::float8 / 60"


def sql_in(column: str, values) -> str:
    """CellSQL for ``column IN (values)``, the values being the module's own choices (constants)."""
    return "{} IN ({})".format(column, ", ".join(f"'{value}'" for value in values))


@dataclass(frozen=True, eq=False)
class Rollup:
    key: str
    label: Any
    records: Callable[[], QuerySet]  # model instances, or values() rows including "id"
    contribute: Callable[[Any], Iterable[Cell]]
    feeds: tuple[ChangeFeed, ...] = ()
    signals: tuple[tuple[Signal, Callable[..., Iterable[int]]], ...] = ()
    cells_sql: tuple[CellSQL, ...] = ()  # ``contribute`` in SQL, for PostgreSQL's fold


@dataclass(frozen=True)
class FoldResult:
    records: int  # records looked at
    changed: int  # records whose contribution changed
    cells: int  # cell rows upserted


_rollups: dict[str, Rollup] = {}


def register_rollup(rollup: Rollup) -> None:
    existing = _rollups.get(rollup.key)
    if existing is not None and existing is not rollup:
        raise ValueError(f"a rollup {rollup.key!r} is already registered")
    if existing is None:
        for signal, ids_of in rollup.signals:
            signal.connect(
                _marker(rollup.key, ids_of), weak=False, dispatch_uid=f"history.rollup.{rollup.key}.{id(ids_of)}"
            )
    _rollups[rollup.key] = rollup


def rollups() -> list[Rollup]:
    return list(_rollups.values())


def get_rollup(key: str) -> Rollup:
    return _rollups[key]


def _marker(key: str, ids_of):
    def mark(sender, **kwargs):
        mark_changed(key, ids_of(**kwargs))

    return mark


def mark_changed(key: str, ids: Iterable[int]) -> None:
    """Queue records for the next fold (inside the caller's transaction)."""
    rows = [RollupChange(rollup=key, object_id=pk) for pk in set(ids)]
    RollupChange.objects.bulk_create(rows, ignore_conflicts=True, batch_size=UPSERT_ROWS)


def fold(rollup: Rollup, *, now=None) -> FoldResult:
    """Fold everything changed since the last fold into the rollup's cells (idempotent)."""
    until = now or timezone.now()
    with transaction.atomic():
        cursor, _created = RollupCursor.objects.select_for_update().get_or_create(rollup=rollup.key)
        _tune_for_fold()
        ids = set()
        snapshot = _snapshot()  # before the feeds are read
        if cursor.folded_until is None:  # the first fold is the backfill: every record
            ids.update(rollup.records().order_by().values_list("pk", flat=True))
        for feed in rollup.feeds if cursor.folded_until is not None else ():
            rows = feed.model._default_manager.filter(
                **{f"{feed.field}__lte": until, f"{feed.field}__gt": cursor.folded_until - FEED_OVERLAP}
            )
            if cursor.snapshot and snapshot:
                rows = _not_seen_by_last_fold(rows, feed, cursor)
            if feed.where is not None:
                rows = rows.filter(feed.where())
            ids.update(int(pk) for pk in rows.order_by().values_list(feed.record, flat=True) if pk is not None)
        queued = RollupChange.objects.filter(rollup=rollup.key)
        last_queued = queued.order_by("-pk").values_list("pk", flat=True).first()
        ids.update(queued.values_list("object_id", flat=True))
        if connection.vendor == "postgresql":
            result = _fold_set_based(rollup, ids)
        else:
            result = fold_records(rollup, ids)
        if last_queued is not None:
            queued.filter(pk__lte=last_queued).delete()
        cursor.folded_until, cursor.folded_at, cursor.snapshot = until, timezone.now(), snapshot
        cursor.save()
    return result


def _tune_for_fold() -> None:
    """Planner settings for the rest of the fold's transaction (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        # JIT compiling these one-off statements costs more than it saves (1.2 s of 8 s measured),
        # and neither the feeds' bitmaps nor the per-record sorts should go lossy or spill to disk.
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SET LOCAL work_mem = '64MB'")
        # The changed records are a few percent of their tables, found by id: one index probe each
        # beats a hash join over every row. With the default page costs (disk-era, 4× a sequential
        # read) PostgreSQL read all 5,000,000 facts to update 149,000 of them (5.5 s; 0.5 s probed).
        cursor.execute("SET LOCAL random_page_cost = 1.1")


def _snapshot() -> str:
    if connection.vendor != "postgresql":
        return ""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_snapshot()::text, pg_current_xact_id()::text")
        snapshot, own = cursor.fetchone()
    # The fold's own transaction counts as running: rows it (or a test wrapping it) writes after
    # this point were not read by this fold, so the next one must not take them as seen.
    low, high, running = snapshot.split(":")
    low, high, own = int(low), int(high), int(own)
    if own >= high:
        return snapshot
    xids = sorted({int(x) for x in running.split(",") if x} | {own})
    return f"{min(low, own)}:{high}:{','.join(map(str, xids))}"


# A row's 32-bit xmin as a full transaction id (xid8): the epoch is the one that puts it at or
# below a reference past every id in use — the newest id the statement knows (its snapshot's
# xmax, the fold's own id) plus 2^30, since a savepoint's or a just-started transaction's id
# may be newer than both. (An id 2^32 older than that would map one epoch too new: read again.)
_NEWEST_XID = (
    "((SELECT greatest(pg_snapshot_xmax(pg_current_snapshot())::text::bigint,"
    " pg_current_xact_id()::text::bigint)) + 1073741824)"
)
_ROW_XID8 = (
    f"({_NEWEST_XID} - ({_NEWEST_XID} %% 4294967296"
    ' - "{table}".xmin::text::bigint + 4294967296) %% 4294967296)::text::xid8'
)


def _not_seen_by_last_fold(rows: QuerySet, feed: ChangeFeed, cursor: RollupCursor) -> QuerySet:
    """Of the overlap (stamped at or before the last fold's horizon), only the row versions the
    last fold could not see (committed after its snapshot was taken): an import of 100,000 rows
    is folded once, not again by each fold of the next ten minutes, while a late commit stamped
    inside the overlap still is."""
    table = feed.model._meta.db_table
    column = feed.model._meta.get_field(feed.field).column
    xid8 = _ROW_XID8.format(table=table)
    return rows.extra(
        where=[f'("{table}"."{column}" > %s OR NOT pg_visible_in_snapshot({xid8}, %s::pg_snapshot))'],
        params=[cursor.folded_until, cursor.snapshot],
    )


def fold_all(*, now=None) -> dict[str, FoldResult]:
    return {rollup.key: fold(rollup, now=now) for rollup in rollups()}


def fold_records(rollup: Rollup, ids: Iterable[int]) -> FoldResult:
    """Recompute these records' contributions and apply the differences."""
    ordered = sorted(ids)
    looked = changed = upserted = 0
    for start in range(0, len(ordered), BATCH):
        chunk = ordered[start : start + BATCH]
        looked += len(chunk)
        records = {_pk(obj): obj for obj in rollup.records().filter(pk__in=chunk)}
        before = dict(
            RollupFact.objects.filter(rollup=rollup.key, object_id__in=chunk).values_list("object_id", "cells")
        )
        delta = defaultdict(lambda: [0.0, 0])
        facts, gone = [], []
        for pk in chunk:
            obj = records.get(pk)
            now_rows = [cell.row() for cell in rollup.contribute(obj)] if obj is not None else []
            now_json = json.dumps(now_rows, separators=(",", ":"), ensure_ascii=False)
            old_json = before.get(pk, "[]")
            if now_json == old_json:
                continue
            changed += 1
            for row in json.loads(old_json):
                _add(delta, row, -1)
            for row in now_rows:
                _add(delta, row, +1)
            if obj is None:
                gone.append(pk)
            else:
                facts.append(RollupFact(rollup=rollup.key, object_id=pk, cells=now_json))
        upserted += _apply(rollup.key, delta)
        RollupFact.objects.bulk_create(
            facts,
            batch_size=UPSERT_ROWS,
            update_conflicts=True,
            unique_fields=["rollup", "object_id"],
            update_fields=["cells"],
        )
        if gone:
            RollupFact.objects.filter(rollup=rollup.key, object_id__in=gone).delete()
    return FoldResult(looked, changed, upserted)


_NEW_CELLS = "history_fold_cells"
_FOLDED_IDS = "history_fold_ids"
SET_BATCH = 20000
_CELL_KEY = "metric, day, scope, person, extra"


def _fold_set_based(rollup: Rollup, ids: Iterable[int]) -> FoldResult:
    """``fold_records`` as a few SQL statements (PostgreSQL); must run inside the fold's transaction."""
    ordered = sorted(ids)
    cells_table, facts_table = RollupCell._meta.db_table, RollupFact._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {_NEW_CELLS}, {_FOLDED_IDS}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {_NEW_CELLS} (object_id bigint, metric text, day date, scope bigint,"
            f" person bigint, extra bigint, value float8) ON COMMIT DROP"
        )
        cursor.execute(f"CREATE TEMPORARY TABLE {_FOLDED_IDS} (object_id bigint PRIMARY KEY) ON COMMIT DROP")
        raw = cursor.connection.cursor()  # psycopg's own cursor: COPY
        with raw.copy(f"COPY {_FOLDED_IDS} (object_id) FROM STDIN") as copy:
            for pk in ordered:
                copy.write_row((pk,))
        cursor.execute(f"ANALYZE {_FOLDED_IDS}")  # the records are read through it: its size guides the join
        if rollup.cells_sql:
            select, params = _cells_select(rollup, f"SELECT object_id FROM {_FOLDED_IDS}")
            cursor.execute(f"INSERT INTO {_NEW_CELLS} {select}", params)
        else:
            _copy_contributions(rollup, ordered, raw)
        cursor.execute(f"ANALYZE {_NEW_CELLS}")
        # One statement, so each record's old fact is read once (one index probe) and the work is
        # PostgreSQL's whatever the count: the new cells minus the old facts of the same records,
        # summed per cell, upserted into the cells (a record whose contribution did not change adds
        # +x - x and its cells are left alone: no new row version); then the facts that changed
        # rewritten, the new ones added, and those of records that contribute nothing now ("[]"
        # and no fact mean the same) or are gone dropped. Folds of one rollup take turns (the cursor
        # row is locked), so plain UPDATE / INSERT / DELETE suffice.
        cursor.execute(
            f"""
            WITH old AS MATERIALIZED (
                SELECT f.id, f.object_id, f.cells FROM {facts_table} f JOIN {_FOLDED_IDS} i USING (object_id)
                WHERE f.rollup = %s
            ), new AS MATERIALIZED (
                SELECT object_id,
                       json_agg(json_build_array({_CELL_KEY}, value) ORDER BY {_CELL_KEY}, value)::text AS cells
                FROM {_NEW_CELLS} GROUP BY object_id
            ), rewritten AS (
                UPDATE {facts_table} f SET cells = n.cells FROM old o JOIN new n USING (object_id)
                WHERE f.id = o.id AND o.cells IS DISTINCT FROM n.cells RETURNING 1
            ), added AS (
                INSERT INTO {facts_table} (rollup, object_id, cells) SELECT %s, n.object_id, n.cells FROM new n
                WHERE NOT EXISTS (SELECT 1 FROM old o WHERE o.object_id = n.object_id) RETURNING 1
            ), dropped AS (
                DELETE FROM {facts_table} f USING old o
                WHERE f.id = o.id AND NOT EXISTS (SELECT 1 FROM new n WHERE n.object_id = o.object_id) RETURNING 1
            ), upserted AS (
                INSERT INTO {cells_table} AS c (rollup, {_CELL_KEY}, total, n)
                SELECT %s, {_CELL_KEY}, sum(value), sum(sign) FROM (
                    SELECT {_CELL_KEY}, value, 1 AS sign FROM {_NEW_CELLS}
                    UNION ALL
                    SELECT e->>0, (e->>1)::date, (e->>2)::bigint, (e->>3)::bigint, (e->>4)::bigint,
                           -(e->>5)::float8, -1
                    FROM old o, jsonb_array_elements(o.cells::jsonb) e
                ) delta
                GROUP BY {_CELL_KEY}
                HAVING sum(sign) <> 0 OR abs(sum(value)) > 1e-9
                ON CONFLICT (rollup, {_CELL_KEY}) DO UPDATE SET total = c.total + excluded.total, n = c.n + excluded.n
                RETURNING 1
            )
            SELECT (SELECT count(*) FROM upserted),
                   (SELECT count(*) FROM rewritten) + (SELECT count(*) FROM added) + (SELECT count(*) FROM dropped)
            """,
            [rollup.key, rollup.key, rollup.key],
        )
        upserted, changed = cursor.fetchone()
        cursor.execute(f"DROP TABLE {_NEW_CELLS}, {_FOLDED_IDS}")
        if upserted >= ANALYZE_AFTER_CELLS:
            cursor.execute(f"ANALYZE {cells_table}")
        if changed >= ANALYZE_AFTER_CELLS:
            # After a backfill the planner still took the facts for a few rows, and found the next
            # fold's 100,000 by hashing all 1,000,000 of them (1 s) instead of by index.
            cursor.execute(f"ANALYZE {facts_table}")
    return FoldResult(len(ordered), changed, upserted)


def _copy_contributions(rollup: Rollup, ordered: list[int], raw) -> None:
    """The records' cells, from ``contribute`` in Python, streamed into the fold's cells table."""
    for start in range(0, len(ordered), SET_BATCH):
        chunk = ordered[start : start + SET_BATCH]
        # The ids come from the table just copied (a huge IN list costs more to build and parse
        # than the query), and the batch is read first: no other query may run during a COPY.
        among = RawSQL(f"SELECT object_id FROM {_FOLDED_IDS} WHERE object_id BETWEEN %s AND %s", [chunk[0], chunk[-1]])
        lines = []
        for record in rollup.records().filter(pk__in=among).order_by():
            pk = _pk(record)
            for cell in rollup.contribute(record):
                # COPY's text format; metric names are identifiers (no tab, newline or backslash).
                lines.append(f"{pk}\t{cell.metric}\t{cell.day.isoformat()}\t{cell.scope or 0}\t"
                             f"{cell.person or 0}\t{cell.extra or 0}\t{float(cell.value)!r}\n")  # fmt: skip
        with raw.copy(f"COPY {_NEW_CELLS} FROM STDIN") as copy:
            copy.write("".join(lines))


def _cells_select(rollup: Rollup, among_sql: str, among_params=()) -> tuple[str, list]:
    """A SELECT of (object_id, metric, day, scope, person, extra, value) from ``cells_sql`` for the
    records whose id ``among_sql`` selects: each record is read once, its cells are a LATERAL list
    of one row per CellSQL, of which those whose ``when`` fails are dropped."""
    records = rollup.records().filter(pk__in=RawSQL(among_sql, list(among_params))).order_by()
    sql, params = records.query.sql_with_params()
    rows = ", ".join(
        f"(CASE WHEN {c.when} THEN %s::text END, ({c.day})::date, ({c.scope})::bigint, ({c.person})::bigint,"
        f" ({c.extra})::bigint, ({c.value})::float8)"
        for c in rollup.cells_sql
    )
    # OFFSET 0 keeps ``r`` a subquery of its own: pulled up into this SELECT, each column would be
    # computed again wherever a CellSQL names it (a ticket's rating subquery four times a row).
    select = (
        f"SELECT r.id, c.metric, c.day, c.scope, c.person, c.extra, c.value FROM ({sql} OFFSET 0) r"
        f" CROSS JOIN LATERAL (VALUES {rows}) AS c (metric, day, scope, person, extra, value)"
        " WHERE c.metric IS NOT NULL AND c.day IS NOT NULL"
    )
    return select, [*params, *(c.metric for c in rollup.cells_sql)]


def declared_cells(rollup: Rollup, ids: Iterable[int]) -> list[tuple]:
    """The cells ``cells_sql`` gives these records, as (object_id, *Cell.row()) tuples (PostgreSQL):
    what tests compare with ``contribute``."""
    select, params = _cells_select(rollup, "SELECT unnest(%s::bigint[])", [sorted(ids)])
    with connection.cursor() as cursor:
        cursor.execute(select, params)
        return [(pk, metric, day.isoformat(), *rest) for pk, metric, day, *rest in cursor.fetchall()]


def _pk(record) -> int:
    """A record's id: a model instance, or a ``values()`` row (cheaper to read in bulk)."""
    return record["id"] if isinstance(record, dict) else record.pk


def _add(delta, row, sign: int) -> None:
    metric, day, scope, person, extra, value = row
    entry = delta[(metric, day, scope, person, extra)]
    entry[0] += sign * value
    entry[1] += sign


def _apply(key: str, delta) -> int:
    rows = [(key, *cell, total, n) for cell, (total, n) in delta.items() if total or n]
    table = RollupCell._meta.db_table
    for start in range(0, len(rows), UPSERT_ROWS):
        batch = rows[start : start + UPSERT_ROWS]
        values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s)"] * len(batch))
        params = [value if i != 2 else date.fromisoformat(value) for row in batch for i, value in enumerate(row)]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (rollup, metric, day, scope, person, extra, total, n) VALUES {values} "
                "ON CONFLICT (rollup, metric, day, scope, person, extra) DO UPDATE SET "
                f"total = {table}.total + excluded.total, n = {table}.n + excluded.n",
                params,
            )
    return len(rows)
