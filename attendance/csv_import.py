"""CSV files exported by punch devices → batch items for ``punches_ingest``.

Korean Excel and many readers write CP949/EUC-KR, others UTF-8 with or without a BOM: all are
accepted. Headers are matched case-insensitively against common English and Korean names;
timestamps without an offset are KST. Files without an event id column get a stable id from
the row's content, so uploading the same file twice stores nothing twice.
"""

import csv
import hashlib
import io

from charset_normalizer import from_bytes
from django.utils.translation import gettext as _

MAX_ROWS = 50_000
HEADER_ALIASES = {
    "event_id": ("event_id", "eventid", "event", "id", "log_id", "logid", "no", "번호", "로그번호", "이벤트id"),
    "employee": (
        "employee",
        "employee_id",
        "employee_no",
        "emp_no",
        "user_id",
        "userid",
        "user",
        "badge",
        "card",
        "사번",
        "사원번호",
        "직원번호",
        "사용자id",
        "카드번호",
    ),
    "timestamp": ("timestamp", "time", "datetime", "date_time", "at", "일시", "시각", "출입시각", "인증시각", "시간"),
    "direction": ("direction", "type", "mode", "inout", "in_out", "구분", "출퇴근", "출입구분", "상태"),
}


class CSVImportError(ValueError):
    pass


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), then CP949 (a superset of EUC-KR), then the best guess."""
    for encoding in ("utf-8-sig", "cp949"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    best = from_bytes(data).best()
    if best is None:
        raise CSVImportError(_("The file's text encoding could not be recognized; save it as UTF-8 CSV."))
    return str(best)


def _column_map(header: list[str]) -> dict[str, int]:
    normalized = [h.strip().lower().replace(" ", "_") for h in header]
    columns = {}
    for key, aliases in HEADER_ALIASES.items():
        for index, name in enumerate(normalized):
            if name in aliases:
                columns[key] = index
                break
    return columns


def items_from_csv(data: bytes) -> list[dict]:
    """The batch items of a device CSV file; CSVImportError for a file that is not one."""
    text = decode(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as error:  # e.g. a bare carriage return inside a field (found by hypothesis)
        raise CSVImportError(_("The file is not valid CSV: %(error)s") % {"error": error}) from error
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise CSVImportError(_("The file is empty."))
    columns = _column_map(rows[0])
    missing = [key for key in ("employee", "timestamp") if key not in columns]
    if missing:
        raise CSVImportError(
            _("The first row must name the columns; missing: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    if len(rows) - 1 > MAX_ROWS:
        raise CSVImportError(_("At most %(n)d rows per file.") % {"n": MAX_ROWS})
    items = []
    for line, row in enumerate(rows[1:], start=2):
        cells = {key: (row[index].strip() if index < len(row) else "") for key, index in columns.items()}
        event_id = (
            cells.get("event_id")
            or "csv-"
            + hashlib.sha256(
                f"{cells['employee']}|{cells['timestamp']}|{cells.get('direction', '')}".encode()
            ).hexdigest()[:32]
        )
        items.append(
            {
                "event_id": event_id,
                "employee": cells["employee"],
                "timestamp": cells["timestamp"],
                "direction": cells.get("direction") or None,
                "line": line,
            }
        )
    return items
