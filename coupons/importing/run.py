"""One import from start to end: read, map, check every row, store, record the outcome.

Everything a run writes happens in one transaction: a file refused half-way (an encoding that
changes at row 400,000, a database error) leaves no send of it behind, only its ImportRun row
saying why. Rows with errors are skipped and listed (row, column, reason); the others are
stored. A tr_id seen twice in one file is an error of the later row.

Progress: the run is one long transaction, so its ImportRun row cannot show progress to other
connections; the share of the file read so far goes to the cache (``progress_of``) instead.
"""

import logging
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from erp.audit.services import audit_record
from erp.core.pii import mask_pii

from ..models import SUCCESS_CODES, ImportRun, ImportStatus, pin_status_for
from . import staged
from .fields import LABELS, CleanRow, RowError, RowParser, auto_mapping, missing_required
from .reading import FileRefused, Table, open_table
from .writer import Writer, update_columns

logger = logging.getLogger(__name__)
CHUNK = 20_000
MAX_STORED_ERRORS = 1000


def max_bytes() -> int:
    return getattr(settings, "COUPONS_IMPORT_MAX_BYTES", 512 * 1024 * 1024)


def _progress_key(run_id: int) -> str:
    return f"coupons:import-progress:{run_id}"


def progress_of(run: ImportRun) -> int:
    """Percent done of a running import (from the cache), else from the row."""
    if run.status == ImportStatus.RUNNING:
        return int(cache.get(_progress_key(run.pk), 0))
    return run.percent


def db_row(clean: CleanRow, refs, *, default_success: bool) -> tuple:
    client_id = refs.client(clean.client)
    goods_id, goods_price, goods_consumer = refs.goods_of(
        clean.goods_code,
        name=clean.goods_name,
        brand=clean.brand,
        sell_price=clean.sell_price,
        consumer_price=clean.consumer_price,
    )
    code = clean.result_code
    return (
        clean.tr_id,
        client_id,
        refs.campaign(client_id, clean.campaign),
        goods_id,
        clean.phone,
        clean.phone[-4:],
        clean.sent_at,
        code,
        clean.result_message,
        code in SUCCESS_CODES if code else default_success,
        code == "1000",
        clean.order_no,
        clean.pin_status_code,
        pin_status_for(clean.pin_status_code),
        clean.valid_until,
        goods_price if clean.sell_price is None else clean.sell_price,
        goods_consumer if clean.consumer_price is None else clean.consumer_price,
    )


class Collector:
    """Per-row checks shared by files and API batches: parse, reject in-file duplicates, count."""

    def __init__(self, parser: RowParser, refs, *, default_success: bool = True):
        self.parser = parser
        self.refs = refs
        self.default_success = default_success
        self.seen: dict[str, int] = {}
        self.errors: list[dict] = []
        self.error_count = 0
        self.rows = 0

    def error(self, row: int, column: str, reason: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_STORED_ERRORS:
            self.errors.append(
                {"row": row, "column": str(LABELS.get(column, column)), "field": column, "reason": reason}
            )

    def take(self, number: int, cells: list, cell_errors: dict) -> tuple | None:
        self.rows += 1
        try:
            clean = self.parser.parse(cells, cell_errors)
        except RowError as error:
            self.error(number, error.column, error.reason)
            return None
        first = self.seen.get(clean.tr_id)
        if first is not None:
            self.error(number, "tr_id", _("Duplicate transaction id: row %(row)d has it too.") % {"row": first})
            return None
        self.seen[clean.tr_id] = number
        return db_row(clean, self.refs, default_success=self.default_success)


def chunks(rows: Iterable, collector: Collector, on_chunk=None):
    batch = []
    for number, cells, cell_errors in rows:
        row = collector.take(number, cells, cell_errors)
        if row is not None:
            batch.append(row)
        if len(batch) >= CHUNK:
            yield batch
            batch = []
            if on_chunk:
                on_chunk()
    if batch:
        yield batch


def preview(stream, filename: str, *, mapping: dict[str, int] | None = None, limit: int = 10) -> dict:
    """Header, mapping and the first rows as they would be read, with their errors; writes nothing."""
    table = open_table(stream, filename)
    mapping = auto_mapping(table.header) if mapping is None else mapping
    parser = RowParser(mapping)
    rows, errors = [], []
    for number, cells, cell_errors in table.rows:
        try:
            parser.parse(cells, cell_errors)
        except RowError as error:
            errors.append(
                {"row": number, "column": str(LABELS.get(error.column, error.column)), "reason": error.reason}
            )
        # The importer has the file, but a screen is seen by others: numbers masked here too.
        rows.append((number, [mask_pii(str(cell)) for cell in cells]))
        if len(rows) >= limit:
            break
    return {"header": table.header, "mapping": mapping, "rows": rows, "errors": errors, "encoding": table.encoding}


def import_file(run: ImportRun, stream, *, now: datetime | None = None, client: str = "") -> ImportRun:
    """Import ``stream`` (a binary file object) into the send log as ``run`` describes (its
    ``mapping`` or, if empty, the recognised columns). Updates and returns ``run``."""
    now = now or timezone.now()
    run.status = ImportStatus.RUNNING
    run.save(update_fields=["status"])
    size = _size_of(stream)
    try:
        if size is not None and size > max_bytes():
            raise FileRefused(
                _("The file is %(size)d MB; at most %(max)d MB per import. Split it and import the parts.")
                % {"size": size // 2**20, "max": max_bytes() // 2**20}
            )
        table: Table = open_table(stream, run.filename)
        mapping = {k: int(v) for k, v in run.mapping.items()} if run.mapping else auto_mapping(table.header)
        missing = missing_required(mapping, client_given=bool(client))
        if missing:
            raise FileRefused(
                _("These columns are missing: %(columns)s. Name them in the first row or map them.")
                % {"columns": ", ".join(str(LABELS[key]) for key in missing)}
            )
        run.encoding = table.encoding
        run.mapping = mapping
        with transaction.atomic():

            def report():
                if size:
                    cache.set(_progress_key(run.pk), min(95, stream.tell() * 100 // size), 3600)

            if staged.available(table):
                outcome = staged.import_rows(
                    table.rows,
                    mapping,
                    updates=update_columns(mapping),
                    client=client,
                    now=now,
                    max_errors=MAX_STORED_ERRORS,
                    on_progress=report,
                )
            else:
                outcome = _import_row_by_row(table, mapping, client=client, now=now, on_chunk=report)
            run.total_rows = run.processed_rows = outcome.rows
            run.inserted, run.updated = outcome.inserted, outcome.updated
            run.unchanged = outcome.rows - outcome.error_count - outcome.inserted - outcome.updated
            run.error_count, run.errors = outcome.error_count, outcome.errors
            run.status = ImportStatus.DONE
            run.finished_at = timezone.now()
            run.save()
            audit_record(
                run,
                "imported",
                by=_actor(run),
                added=outcome.inserted,
                updated=outcome.updated,
                errors=outcome.error_count,
                **{f"new_{key}": n for key, n in outcome.created.items() if n},
            )
    except FileRefused as refusal:
        run.status = ImportStatus.REFUSED
        run.message = str(refusal)
        run.finished_at = timezone.now()
        run.inserted = run.updated = run.unchanged = 0
        run.save()
    finally:
        cache.delete(_progress_key(run.pk))
    logger.info(
        "coupon import %s: %s, %s added, %s updated, %s errors",
        run.pk,
        run.status,
        run.inserted,
        run.updated,
        run.error_count,
    )
    return run


def _import_row_by_row(table: Table, mapping, *, client: str, now: datetime, on_chunk) -> "staged.Outcome":
    """Every row checked in Python and stored through the Writer (SQLite, and XLSX files)."""
    from .refs import Refs

    collector = Collector(RowParser(mapping, client=client), Refs())
    writer = Writer(update_columns(mapping), now=now)
    for batch in chunks(table.rows, collector, on_chunk=on_chunk):
        writer.add(batch)
    inserted, updated, _outcomes = writer.finish()
    return staged.Outcome(
        rows=collector.rows,
        error_count=collector.error_count,
        errors=collector.errors,
        inserted=inserted,
        updated=updated,
        created=collector.refs.created,
    )


def _size_of(stream) -> int | None:
    size = getattr(stream, "size", None)
    if size is None and stream.seekable():
        size = stream.seek(0, 2)
        stream.seek(0)
    return size


def import_items(items: list, *, run: ImportRun, now: datetime | None = None) -> list[dict]:
    """An API batch: ``items`` are dicts keyed like the file fields. Returns one result per item
    (``index``, ``tr_id``, ``status`` created / updated / unchanged / error, ``errors``); the
    valid items are stored even when others are not."""
    from .fields import FIELD_KEYS
    from .refs import Refs

    now = now or timezone.now()
    identity = {key: position for position, key in enumerate(FIELD_KEYS)}
    results = []
    with transaction.atomic():
        collector = Collector(RowParser(identity), Refs())
        # An API item states everything it knows; an absent optional key is an empty value.
        writer = Writer(update_columns(FIELD_KEYS), now=now, outcomes=True)
        rows = []
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                collector.rows += 1
                collector.error(index, "item", _("Each item must be an object."))
                results.append({"index": index, "tr_id": None, "status": "error"})
                continue
            cells = ["" if item.get(key) is None else str(item.get(key)) for key in FIELD_KEYS]
            before = collector.error_count
            row = collector.take(index, cells, {})
            results.append({"index": index, "tr_id": cells[0] or None, "status": "error" if row is None else ""})
            if row is not None:
                rows.append(row)
            elif collector.error_count == before:
                results[-1]["status"] = "error"
        writer.add(rows)
        inserted, updated, outcomes = writer.finish()
        errors_by_index: dict[int, list] = {}
        for error in collector.errors:
            errors_by_index.setdefault(error["row"], []).append({"field": error["field"], "message": error["reason"]})
        for result in results:
            if result["status"] == "error":
                result["errors"] = errors_by_index.get(result["index"], [])
            else:
                result["status"] = outcomes.get(result["tr_id"], "unchanged")
        run.status = ImportStatus.DONE
        run.total_rows = run.processed_rows = len(items)
        run.inserted, run.updated = inserted, updated
        run.error_count, run.errors = collector.error_count, collector.errors
        run.unchanged = len(items) - collector.error_count - inserted - updated
        run.finished_at = timezone.now()
        run.save()
        audit_record(run, "imported", by=_actor(run), added=inserted, updated=updated, errors=collector.error_count)
    return results


def _actor(run: ImportRun):
    from erp.audit.actor import Actor

    source = {"command": "system", "web": "web", "api": "api", "admin": "admin"}[run.source]
    return Actor(user=run.created_by, source=source)
