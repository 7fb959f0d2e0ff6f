"""The PostgreSQL path of a CSV import: rows COPY'd typed into a staging table, everything
else set-based in SQL.

Per row, Python does only what the csv module and a few C-level string tests allow: rows in the
common shapes (010-1234-5678 or 01012345678, 2026-11-30 14:05:00 or 20261130140500, validity as
20261230 or 2026-12-30, whole-won amounts, two-digit PIN codes) are streamed as text straight into
a temporary table by COPY, where PostgreSQL converts them; only the other rows (usually none) go
through RowParser, which accepts the rarer shapes and words every error. So the outcome is the
row-by-row path's, row for row and error for error (tests/coupons/test_import_staged.py), without
its per-row objects, id look-ups and type adaptation. Then clients, campaigns and goods new to
the file are created in three small inserts, and the send log is written set-based, joined to
their ids: an UPDATE of the rows that changed, then a plain INSERT of the new ones
(writer.update_then_insert).

(Checking the shapes in SQL instead was measured first: a regular expression or a Unicode trim
per cell costs PostgreSQL more than its whole COPY of the row.)
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import itemgetter

from django.db import connection
from django.utils.translation import gettext as _

from ..models import PIN_STATUS_BY_CODE, SUCCESS_CODES, PinStatus
from .fields import FIELD_KEYS, LABELS, RowError, RowParser
from .writer import update_then_insert

_ROWS = "coupons_import_rows"
PROGRESS_EVERY = 20_000
_STAGED_COLUMNS = (
    ("n", "int"),
    ("tr_id", "text"),
    ("client", "text"),
    ("campaign", "text"),
    ("goods_code", "text"),
    ("goods_name", "text"),
    ("brand", "text"),
    ("phone", "text"),
    ("sent_at", "timestamptz"),
    ("result_code", "text"),
    ("result_message", "text"),
    ("order_no", "text"),
    ("pin_status_code", "text"),
    ("valid_until", "timestamptz"),
    ("sell_price", "int"),
    ("consumer_price", "int"),
)
# Sends in the common shapes are read as KST (+09:00 in every year since 1988).
_KST = "+09:00"


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


def _moment(text: str) -> str | None:
    """``2026-11-30 14:05:00`` or ``20261130140500`` as timestamptz text, else None."""
    if len(text) == 19 and text[4] == "-" and text[10] == " ":
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return None
    elif len(text) == 14 and text.isdigit() and text.isascii():
        try:
            moment = datetime(
                int(text[:4]), int(text[4:6]), int(text[6:8]), int(text[8:10]), int(text[10:12]), int(text[12:])
            )
        except ValueError:
            return None
    else:
        return None
    if moment.tzinfo is not None or not 2000 <= moment.year < 2100:
        return None
    return moment.isoformat(" ") + _KST


def _validity(text: str) -> str | None:
    """``20261230`` or ``2026-12-30`` (valid through that day), or a moment, as timestamptz text."""
    if len(text) == 8 and text.isdigit() and text.isascii() or len(text) == 10 and text[4] == "-":
        try:
            day = date.fromisoformat(text)
        except ValueError:
            return None
        return f"{day.isoformat()} 23:59:59{_KST}" if 2000 <= day.year < 2100 else None
    return _moment(text)


def _common_shape(values: list[str], default_client: str, has_prices: tuple[bool, bool]) -> tuple | None:
    """The staged columns (after n) of a row in the common shapes, or None for RowParser."""
    (tr_id, client, campaign, goods_code, goods_name, brand, phone, sent, code, message, order_no, pin, valid, sell,
     consumer) = values  # fmt: skip
    if not tr_id or len(tr_id) > 40:
        return None
    client = client or default_client
    if not client:
        return None
    if len(phone) == 13 and phone[3] == "-" and phone[8] == "-":
        phone = phone[:3] + phone[4:8] + phone[9:]
    if len(phone) != 11 or not phone.startswith("010") or not phone.isdigit() or not phone.isascii():
        return None
    sent_at = _moment(sent)
    if sent_at is None:
        return None
    if valid:
        valid = _validity(valid)
        if valid is None:
            return None
    else:
        valid = None
    if pin:
        if len(pin) > 2 or not pin.isdigit() or not pin.isascii():
            return None
        pin = pin.zfill(2)
    prices = []
    for present, price in zip(has_prices, (sell, consumer), strict=True):
        if not present:
            prices.append(None)
        elif not price:
            prices.append("0")
        elif len(price) <= 9 and price.isdigit() and price.isascii():
            prices.append(price)
        else:
            return None
    return (
        tr_id,
        client[:100],
        campaign[:150],
        goods_code[:20],
        goods_name[:200],
        brand[:100],
        phone,
        sent_at,
        code[:10],
        message[:200],
        order_no[:40],
        pin,
        valid,
        *prices,
    )


def _pin_status_sql(code: str) -> str:
    known = " ".join(f"WHEN '{key}' THEN '{status.value}'" for key, status in PIN_STATUS_BY_CODE.items())
    return f"CASE {code} WHEN '' THEN '' {known} ELSE '{PinStatus.OTHER.value}' END"


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
    outcome = Outcome()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {_ROWS}")
        columns = ", ".join(f"{name} {kind}" for name, kind in _STAGED_COLUMNS)
        cursor.execute(f"CREATE TEMP TABLE {_ROWS} ({columns}) ON COMMIT DROP")
        names = _stage(cursor, rows, mapping, client, outcome, max_errors, on_progress)
        outcome.created = _create_refs(cursor, names, now)
        outcome.inserted, outcome.updated = _upsert(cursor, updates, now)
        cursor.execute(f"DROP TABLE {_ROWS}")
    return outcome


def _stage(cursor, rows, mapping, default_client, outcome: Outcome, max_errors: int, on_progress) -> "_Names":
    """COPY every valid row (the first of each tr_id); the others become errors, in row order."""
    parser = RowParser(mapping, client=default_client)
    width = max(mapping.values()) + 1
    # Index -1 is the "" appended to every row: the value of an unmapped field.
    pick = itemgetter(*(mapping.get(key, -1) for key in FIELD_KEYS))
    has_prices = ("sell_price" in mapping, "consumer_price" in mapping)
    strip = str.strip
    seen: dict[str, int] = {}
    names = _Names()

    def error(number: int, column: str, reason: str) -> None:
        outcome.error_count += 1
        if len(outcome.errors) < max_errors:
            outcome.errors.append(
                {"row": number, "column": str(LABELS.get(column, column)), "field": column, "reason": reason}
            )

    columns = ", ".join(name for name, _kind in _STAGED_COLUMNS)
    with cursor.cursor.copy(f"COPY {_ROWS} ({columns}) FROM STDIN") as copy:
        for number, cells, cell_errors in rows:
            outcome.rows += 1
            if on_progress and outcome.rows % PROGRESS_EVERY == 0:
                on_progress()
            staged = None
            if not cell_errors:
                if len(cells) < width:
                    cells = [*cells, *([""] * (width - len(cells)))]
                cells.append("")
                staged = _common_shape(list(map(strip, pick(cells))), default_client, has_prices)
                cells.pop()
            if staged is None:
                try:
                    clean = parser.parse(cells, cell_errors)
                except RowError as failure:
                    error(number, failure.column, failure.reason)
                    continue
                staged = (
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
            first = seen.setdefault(staged[0], number)
            if first != number:
                error(number, "tr_id", _("Duplicate transaction id: row %(row)d has it too.") % {"row": first})
                continue
            copy.write_row((number, *staged))
            names.add(staged)
    return names


@dataclass
class _Names:
    """The clients, campaigns and goods the stored rows name (goods with their first row's
    name, brand and prices, which a new goods takes, as Refs does)."""

    clients: set = field(default_factory=set)
    campaigns: set = field(default_factory=set)
    goods: dict = field(default_factory=dict)

    def add(self, row: tuple) -> None:
        client, campaign, goods_code = row[1], row[2], row[3]  # a staged row: tr_id, client, …
        self.clients.add(client)
        if campaign:
            self.campaigns.add((client, campaign))
        if goods_code and goods_code not in self.goods:
            self.goods[goods_code] = (row[4] or goods_code, row[5], row[13] or 0, row[14] or 0)


def _create_refs(cursor, names: _Names, now: datetime) -> dict[str, int]:
    """The clients, campaigns and goods not in the database yet, each set in one insert."""
    cursor.execute(
        "INSERT INTO coupons_client (name, is_active, created_at) SELECT unnest(%s::text[]), true, %s "
        "ON CONFLICT (name) DO NOTHING",
        [sorted(names.clients), now],
    )
    clients = cursor.rowcount
    pairs = sorted(names.campaigns)
    cursor.execute(
        """
        INSERT INTO coupons_campaign (client_id, name, mms_title, mms_message, created_at)
        SELECT c.id, x.name, '', '', %s FROM unnest(%s::text[], %s::text[]) AS x (client, name)
        JOIN coupons_client AS c ON c.name = x.client
        ON CONFLICT (client_id, name) DO NOTHING
        """,
        [now, [client for client, _name in pairs], [name for _client, name in pairs]],
    )
    campaigns = cursor.rowcount
    codes = sorted(names.goods)
    values = [names.goods[code] for code in codes]
    cursor.execute(
        """
        INSERT INTO coupons_goods (code, name, brand, sell_price, consumer_price)
        SELECT * FROM unnest(%s::text[], %s::text[], %s::text[], %s::int[], %s::int[])
        ON CONFLICT (code) DO NOTHING
        """,
        [codes, *([int(value[i]) if i >= 2 else value[i] for value in values] for i in range(4))],
    )
    return {"clients": clients, "campaigns": campaigns, "goods": cursor.rowcount}


def _upsert(cursor, updates: tuple[str, ...], now: datetime) -> tuple[int, int]:
    codes = ", ".join(f"'{code}'" for code in sorted(SUCCESS_CODES))
    source = f"""
        SELECT r.tr_id, c.id AS client_id, p.id AS campaign_id, g.id AS goods_id, r.phone,
               right(r.phone, 4) AS phone_last4, r.sent_at, r.result_code, r.result_message,
               r.result_code = '' OR r.result_code IN ({codes}) AS succeeded, r.result_code = '1000' AS delivered,
               r.order_no, r.pin_status_code, {_pin_status_sql("r.pin_status_code")} AS pin_status, r.valid_until,
               coalesce(r.sell_price, g.sell_price, 0) AS sell_price,
               coalesce(r.consumer_price, g.consumer_price, 0) AS consumer_price
        FROM {_ROWS} AS r
        JOIN coupons_client AS c ON c.name = r.client
        LEFT JOIN coupons_campaign AS p ON p.client_id = c.id AND p.name = r.campaign
        LEFT JOIN coupons_goods AS g ON g.code = r.goods_code
    """
    return update_then_insert(cursor, updates, source, now)
