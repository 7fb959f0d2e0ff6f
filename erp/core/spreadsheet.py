"""Spreadsheet cells that cannot run as formulas (CSV/formula injection, OWASP).

Exported free text — a ticket title, a client-site place — may start with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return. Excel and LibreOffice treat such a cell as a formula (e.g.
``=HYPERLINK("https://evil.example", "click")`` or a DDE payload), so OWASP recommends prefixing
a single quote: the cell then shows as text. Numbers, dates and booleans are not text a user
typed and are returned unchanged (a negative number must stay a number).

Use :func:`safe_cell` for every value of a CSV row and :func:`append_safe_row` for openpyxl
sheets (openpyxl stores any string starting with ``=`` as a formula unless told otherwise).
"""

import csv
import io

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """``value`` unchanged unless it is text that a spreadsheet would read as a formula, which
    gets a leading single quote. Pure; non-text values (int, float, date, None…) pass through."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def append_safe_row(sheet, row) -> None:
    """Append ``row`` to an openpyxl worksheet with every text cell guarded and typed as a
    string (data_type "s"), so no cell of the row can become a formula."""
    values = [safe_cell(value) for value in row]
    sheet.append(values)
    for cell, value in zip(sheet[sheet.max_row], values, strict=False):
        if isinstance(value, str):
            # openpyxl infers "f" (formula) for text starting with "="; force a plain string.
            cell.data_type = "s"


CSV_ENCODINGS = ("utf-8", "cp949")


def csv_bytes(headers, rows, *, encoding: str = "utf-8") -> bytes:
    """A CSV export for Korean Excel: UTF-8 with a BOM (today's Excel), or CP949 (older payroll
    tools that expect it). Every cell goes through :func:`safe_cell`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    if encoding == "cp949":
        # Hangul is all in CP949; anything else (an emoji in a place name) becomes "?".
        return buffer.getvalue().encode("cp949", errors="replace")
    # The BOM makes Excel read UTF-8 instead of guessing CP949 and garbling Hangul.
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def csv_encoding(value: str | None) -> str | None:
    """The ``?encoding=`` of an export request, normalised ("UTF_8" → "utf-8"); None if unknown."""
    encoding = (value or "utf-8").lower().replace("_", "-")
    return encoding if encoding in CSV_ENCODINGS else None
