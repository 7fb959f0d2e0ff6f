"""The PostgreSQL path of a CSV import: the cells go to the database as they are, and the
database checks and converts them.

Python only reads the CSV (the csv module, so a malformed line is still an error of its row)
and streams the mapped cells with their row numbers into a temporary table by COPY. One SQL
pass then recognises the rows in the common shapes (010-1234-5678 or 01012345678, dates as
2026-11-30 14:05:00, 20261130140500 or 20261130, whole-won amounts …) and converts them. The
rows it does not recognise, usually none, go back through RowParser, which accepts the rarer
shapes and words every error: the outcome is the same as the row-by-row path, row for row and
error for error. Clients, campaigns and goods new to the file are created in three set-based
inserts and the send log is written with the same single upsert as the Writer.

The SQL shapes are deliberately narrower than RowParser (years 2000–2099, ASCII digits):
anything outside them is simply handed to RowParser.
"""

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter

from django.db import connection
from django.utils.translation import gettext as _

from ..models import PIN_STATUS_BY_CODE, SUCCESS_CODES, PinStatus
from .fields import FIELD_KEYS, LABELS, RowError, RowParser
from .writer import count_upsert, upsert_sql

_RAW = "coupons_import_raw"
_ROWS = "coupons_import_rows"
_DUPLICATE_IDS = "coupons_import_duplicate_ids"
PROGRESS_EVERY = 20_000
TEXT_FIELDS = {  # field → the length RowParser keeps
    "client": 100,
    "campaign": 150,
    "goods_code": 20,
    "goods_name": 200,
    "brand": 100,
    "result_code": 10,
    "result_message": 200,
    "order_no": 40,
}
# What str.strip() removes, so that the SQL trims exactly what RowParser trims.
_WHITESPACE = "E'" + "".join(f"\\u{code:04x}" for code in range(sys.maxunicode + 1) if chr(code).isspace()) + "'"


def available(table) -> bool:
    return connection.vendor == "postgresql" and table.kind == "csv"


@dataclass
class Outcome:
    rows: int = 0
    error_count: int = 0
    errors: list[dict] = field(default_factory=list)
    inserted: int = 0
    updated: int = 0
    created: dict[str, int] = field(default_factory=dict)


class _Errors:
    """Row errors from three sources (bad lines, RowParser, in-file duplicates), each met in row
    order: the first ``limit`` of each are kept, so the first ``limit`` overall are among them."""

    def __init__(self, limit: int):
        self.limit = limit
        self.count = 0
        self.kept: dict[str, list[dict]] = {}

    def add(self, source: str, row: int, column: str, reason: str) -> None:
        self.count += 1
        kept = self.kept.setdefault(source, [])
        if len(kept) < self.limit:
            kept.append({"row": row, "column": str(LABELS.get(column, column)), "field": column, "reason": reason})

    def first(self) -> list[dict]:
        every = [error for kept in self.kept.values() for error in kept]
        return sorted(every, key=lambda error: error["row"])[: self.limit]


def _moment_sql(text: str, *, end_of_day: bool) -> tuple[str, str]:
    """(is-a-common-shape condition, timestamptz value) for a trimmed date cell: ISO with a space
    and seconds, 14 digits, or a date alone (8 digits or ISO), read as KST like parse_moment."""
    digits = f"translate({text}, '-: ', '')"
    shaped = (
        f"({text} ~ '^[0-9]{{8}}([0-9]{{6}})?$' "
        f"OR {text} ~ '^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}( [0-9]{{2}}:[0-9]{{2}}:[0-9]{{2}})?$')"
    )
    ranged = (
        f"{digits} ~ '^20[0-9]{{2}}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])(([01][0-9]|2[0-3])[0-5][0-9][0-5][0-9])?$'"
    )
    # 31 November: the day must stay in its month.
    real_day = (
        f"date_part('month', make_date(substr({digits}, 1, 4)::int, substr({digits}, 5, 2)::int, 1) "
        f"+ (substr({digits}, 7, 2)::int - 1)) = substr({digits}, 5, 2)::int"
    )
    ok = f"CASE WHEN {shaped} AND {ranged} THEN {real_day} ELSE false END"
    clock = "'235959'" if end_of_day else "'000000'"
    value = (
        f"(left({digits}, 8) || ' ' || CASE WHEN length({digits}) = 14 THEN substr({digits}, 9, 6) "
        f"ELSE {clock} END || '+09')::timestamptz"
    )
    return ok, value


def _pin_status_sql(code: str) -> str:
    known = " ".join(f"WHEN '{key}' THEN '{status.value}'" for key, status in PIN_STATUS_BY_CODE.items())
    return f"CASE {code} WHEN '' THEN '' {known} ELSE '{PinStatus.OTHER.value}' END"


def _rows_sql(keys: list[str], default_client: str) -> tuple[str, list]:
    """CREATE TABLE AS of every staged row: ``ok`` when in a common shape, then its clean values."""

    def cell(key):
        return f"t.{key}" if key in keys else "''"

    trimmed = ", ".join(f"btrim({key}, {_WHITESPACE}) AS {key}" for key in keys)
    sent_ok, sent_value = _moment_sql("t.sent_at", end_of_day=False)
    valid_ok, valid_value = _moment_sql(cell("valid_until"), end_of_day=True)
    phone, pin, client = cell("phone"), cell("pin_status_code"), cell("client")
    conditions = [
        f"{cell('tr_id')} <> ''",
        f"length({cell('tr_id')}) <= 40",
        f"({client} <> '' OR %s <> '')",
        f"({phone} ~ '^010[0-9]{{8}}$' OR {phone} ~ '^010-[0-9]{{4}}-[0-9]{{4}}$')",
        sent_ok,
        f"({cell('valid_until')} = '' OR {valid_ok})",
        f"({pin} = '' OR {pin} ~ '^[0-9]{{1,2}}$')",
    ]
    prices = []
    for key in ("sell_price", "consumer_price"):
        if key in keys:
            conditions.append(f"t.{key} ~ '^[0-9]{{0,9}}$'")
            prices.append(f"CASE WHEN ok THEN coalesce(nullif(t.{key}, ''), '0')::int END AS {key}")
        else:
            prices.append(f"NULL::int AS {key}")
    texts = ", ".join(f"left({cell(key)}, {length}) AS {key}" for key, length in TEXT_FIELDS.items() if key != "client")
    sql = f"""
        CREATE TEMP TABLE {_ROWS} AS
        SELECT n, ok, {", ".join(f"t.{key} AS raw_{key}" for key in keys)},
               t.tr_id, left(CASE WHEN {client} <> '' THEN {client} ELSE %s END, 100) AS client, {texts},
               CASE WHEN ok THEN replace({phone}, '-', '') END AS phone,
               CASE WHEN ok THEN {sent_value} END AS sent_at,
               CASE WHEN ok AND {cell("valid_until")} <> '' THEN {valid_value} END AS valid_until,
               CASE WHEN ok AND {pin} <> '' THEN lpad({pin}, 2, '0') ELSE '' END AS pin_status_code,
               {", ".join(prices)}
        FROM (SELECT t.*, ({" AND ".join(conditions)}) AS ok
              FROM (SELECT n, {trimmed} FROM {_RAW} OFFSET 0) AS t) AS t
    """
    return sql, [default_client, default_client]


def import_rows(
    rows: Iterable,
    mapping: dict[str, int],
    *,
    updates: tuple[str, ...],
    client: str,
    now: datetime,
    max_errors: int,
    on_progress: Callable[[], None] | None = None,
) -> Outcome:
    """Stores ``rows`` ((row number, cells, cell errors) from the reader) inside the caller's
    transaction and returns the counts and the first ``max_errors`` errors."""
    keys = [key for key in FIELD_KEYS if key in mapping]
    errors = _Errors(max_errors)
    outcome = Outcome()
    parser = RowParser({key: index for index, key in enumerate(keys)}, client=client)
    with connection.cursor() as cursor:
        for table in (_RAW, _ROWS, _DUPLICATE_IDS):
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(f"CREATE TEMP TABLE {_RAW} (n int, {', '.join(f'{key} text' for key in keys)}) ON COMMIT DROP")
        repeated = _stage(cursor, rows, mapping, keys, parser, errors, outcome, on_progress)
        sql, params = _rows_sql(keys, client)
        cursor.execute(sql, params)
        cursor.execute(f"DROP TABLE {_RAW}")
        _recheck(cursor, keys, parser, errors)
        cursor.execute(f"ANALYZE {_ROWS}")
        if repeated:
            _reject_duplicates(cursor, repeated, errors)
        outcome.created = _create_refs(cursor, now)
        outcome.inserted, outcome.updated = _upsert(cursor, updates, now)
        cursor.execute(f"DROP TABLE {_ROWS}")
    outcome.error_count, outcome.errors = errors.count, errors.first()
    return outcome


def _stage(cursor, rows, mapping, keys, parser, errors, outcome, on_progress) -> set[str]:
    """COPY the mapped cells of every well-formed line; returns the tr_ids met more than once."""
    positions = [mapping[key] for key in keys]
    width = max(positions) + 1
    pick = itemgetter(*positions) if len(positions) > 1 else (lambda cells: (cells[positions[0]],))
    tr_id_at = keys.index("tr_id")
    first_row: dict[str, int] = {}
    repeated: set[str] = set()
    with cursor.cursor.copy(f"COPY {_RAW} (n, {', '.join(keys)}) FROM STDIN") as copy:
        for number, cells, cell_errors in rows:
            outcome.rows += 1
            if cell_errors:  # a malformed line: RowParser words the error
                try:
                    parser.parse([], cell_errors)
                except RowError as error:
                    errors.add("line", number, error.column, error.reason)
                continue
            if len(cells) < width:
                cells = [*cells, *([""] * (width - len(cells)))]
            values = pick(cells)
            tr_id = values[tr_id_at].strip()
            if first_row.setdefault(tr_id, number) != number:
                repeated.add(tr_id)
            copy.write_row((number, *values))
            if on_progress and outcome.rows % PROGRESS_EVERY == 0:
                on_progress()
    return repeated


_CLEAN_COLUMNS = (
    "n, ok, tr_id, client, campaign, goods_code, goods_name, brand, phone, sent_at, result_code, "
    "result_message, order_no, pin_status_code, valid_until, sell_price, consumer_price"
)


def _recheck(cursor, keys, parser, errors) -> None:
    """Rows outside the common shapes through RowParser: errors listed, the valid ones kept.

    Read through a server-side cursor and written back in batches: a file whose dates all come
    in a rarer shape takes this path for every row without holding them in memory."""
    raw = ", ".join(f"raw_{key}" for key in keys)
    with cursor.cursor.connection.cursor(name="coupons_import_recheck") as odd:
        odd.execute(f"SELECT n, {raw} FROM {_ROWS} WHERE NOT ok ORDER BY n")
        while batch := odd.fetchmany(5000):
            valid = []
            for number, *cells in batch:
                try:
                    clean = parser.parse(cells, {})
                except RowError as error:
                    errors.add("row", number, error.column, error.reason)
                    continue
                valid.append(
                    (
                        number,
                        True,
                        clean.tr_id,
                        clean.client,
                        clean.campaign,
                        clean.goods_code,
                        clean.goods_name,
                        clean.brand,
                        clean.phone,
                        clean.sent_at,
                        clean.result_code,
                        clean.result_message,
                        clean.order_no,
                        clean.pin_status_code,
                        clean.valid_until,
                        clean.sell_price,
                        clean.consumer_price,
                    )
                )
            if valid:
                with cursor.cursor.copy(f"COPY {_ROWS} ({_CLEAN_COLUMNS}) FROM STDIN") as copy:
                    for row in valid:
                        copy.write_row(row)
    cursor.execute(f"DELETE FROM {_ROWS} WHERE NOT ok")


def _reject_duplicates(cursor, repeated: set[str], errors: _Errors) -> None:
    """A tr_id on several valid rows: the first is kept, each later one is an error."""
    cursor.execute(f"CREATE TEMP TABLE {_DUPLICATE_IDS} (tr_id text PRIMARY KEY) ON COMMIT DROP")
    with cursor.cursor.copy(f"COPY {_DUPLICATE_IDS} (tr_id) FROM STDIN") as copy:
        for tr_id in repeated:
            copy.write_row((tr_id,))
    cursor.execute(
        f"""
        DELETE FROM {_ROWS} AS r USING (
            SELECT n, min(n) OVER (PARTITION BY tr_id) AS first
            FROM {_ROWS} WHERE tr_id IN (SELECT tr_id FROM {_DUPLICATE_IDS})
        ) AS d
        WHERE r.n = d.n AND d.n > d.first
        RETURNING r.n, d.first
        """
    )
    reason = _("Duplicate transaction id: row %(row)d has it too.")
    for number, first in sorted(cursor.fetchall()):
        errors.add("duplicate", number, "tr_id", reason % {"row": first})
    cursor.execute(f"DROP TABLE {_DUPLICATE_IDS}")


def _create_refs(cursor, now: datetime) -> dict[str, int]:
    """Clients, campaigns and goods the rows name and the database does not have yet (new goods
    take their name, brand and prices from the first row with their code, as Refs does)."""
    cursor.execute(
        f"INSERT INTO coupons_client (name, is_active, created_at) "
        f"SELECT DISTINCT client, true, %s FROM {_ROWS} ON CONFLICT (name) DO NOTHING",
        [now],
    )
    clients = cursor.rowcount
    cursor.execute(
        f"""
        INSERT INTO coupons_campaign (client_id, name, mms_title, mms_message, created_at)
        SELECT c.id, r.campaign, '', '', %s
        FROM (SELECT DISTINCT client, campaign FROM {_ROWS} WHERE campaign <> '') AS r
        JOIN coupons_client AS c ON c.name = r.client
        ON CONFLICT (client_id, name) DO NOTHING
        """,
        [now],
    )
    campaigns = cursor.rowcount
    cursor.execute(
        f"""
        INSERT INTO coupons_goods (code, name, brand, sell_price, consumer_price)
        SELECT DISTINCT ON (r.goods_code) r.goods_code,
               CASE WHEN r.goods_name <> '' THEN r.goods_name ELSE r.goods_code END,
               r.brand, coalesce(r.sell_price, 0), coalesce(r.consumer_price, 0)
        FROM {_ROWS} AS r WHERE r.goods_code <> '' ORDER BY r.goods_code, r.n
        ON CONFLICT (code) DO NOTHING
        """
    )
    return {"clients": clients, "campaigns": campaigns, "goods": cursor.rowcount}


def _upsert(cursor, updates: tuple[str, ...], now: datetime) -> tuple[int, int]:
    codes = ", ".join(f"'{code}'" for code in sorted(SUCCESS_CODES))
    source = f"""
        SELECT r.tr_id, c.id, p.id, g.id, r.phone, right(r.phone, 4), r.sent_at, r.result_code, r.result_message,
               r.result_code = '' OR r.result_code IN ({codes}), r.result_code = '1000', r.order_no,
               r.pin_status_code, {_pin_status_sql("r.pin_status_code")}, r.valid_until,
               coalesce(r.sell_price, g.sell_price, 0), coalesce(r.consumer_price, g.consumer_price, 0), %s
        FROM {_ROWS} AS r
        JOIN coupons_client AS c ON c.name = r.client
        LEFT JOIN coupons_campaign AS p ON p.client_id = c.id AND p.name = r.campaign
        LEFT JOIN coupons_goods AS g ON g.code = r.goods_code
    """
    return count_upsert(cursor, upsert_sql(updates, source), [now])
