"""Files → rows of cells, streamed: a 1,000,000-row CSV is never held in memory as text.

CSV: the encoding is decided on the first megabyte (UTF-8 with or without BOM, else CP949, a
superset of EUC-KR, else charset-normalizer's guess); a later byte that does not decode refuses
the whole file (the import is one transaction, so nothing of it is kept): the file itself is
then wrong, not one line of it. A line that is not valid CSV (an over-long field, a NUL
character) is an error of its row, like a bad cell: the other rows are imported. XLSX: openpyxl in
read-only mode; a formula cell is an error of its row (its value is whatever Excel last
computed, or nothing, which is not evidence of a send).
"""

import codecs
import csv
import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from zipfile import BadZipFile

from charset_normalizer import from_bytes
from django.utils.translation import gettext as _

SAMPLE_BYTES = 1 << 20
XLSX_MAGIC = b"PK\x03\x04"


# The cell index of an error that concerns a whole line rather than one of its cells.
WHOLE_ROW = -1


class FileRefused(ValueError):
    """The file as a whole cannot be imported; the message says why, for the person who sent it."""


@dataclass
class Table:
    header: list[str]
    rows: Iterator[tuple[int, list, dict[int, str]]]  # (row number, cells, {cell index: error})
    encoding: str
    kind: str  # "csv" or "xlsx"


def detect_encoding(sample: bytes) -> str:
    for encoding in ("utf-8", "cp949"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            decoder.decode(sample, final=False)  # a character cut at the sample's end is fine
            return "utf-8-sig" if encoding == "utf-8" else encoding
        except UnicodeDecodeError:
            continue
    best = from_bytes(sample).best()
    if best is None:
        raise FileRefused(_("The file's text encoding could not be recognised; save it as CSV UTF-8 or CP949."))
    return best.encoding


def open_table(stream, filename: str) -> Table:
    """The header and a row iterator of a binary file object (``stream`` stays open while iterated)."""
    start = stream.read(SAMPLE_BYTES)
    stream.seek(0)
    if not start.strip():
        raise FileRefused(_("The file is empty."))
    if start.startswith(XLSX_MAGIC) or filename.lower().endswith(".xlsx"):
        return _xlsx_table(stream)
    return _csv_table(stream, start)


def _csv_table(stream, sample: bytes) -> Table:
    encoding = detect_encoding(sample)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    try:
        dialect = csv.Sniffer().sniff(sample.decode(encoding, errors="ignore")[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(text, dialect)
    try:
        header = next(reader)
    except (StopIteration, UnicodeDecodeError):
        raise FileRefused(_("The first row must name the columns."))

    def rows():
        number = 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError:
                raise FileRefused(
                    _("Row %(row)d is not valid %(encoding)s text: the file mixes encodings. Nothing was imported.")
                    % {"row": number + 1, "encoding": encoding}
                )
            except csv.Error as error:
                # The reader goes on with the next line after an error: only this row is lost.
                number += 1
                yield number, [], {WHOLE_ROW: _("This line is not valid CSV (%(error)s).") % {"error": error}}
                continue
            number += 1
            if "\x00" in "".join(cells):  # one scan in C instead of one per cell
                yield number, [], {WHOLE_ROW: _("This line contains a NUL character; save the file again as CSV.")}
            elif cells:
                yield number, cells, {}

    return Table(header=[h.strip() for h in header], rows=rows(), encoding=encoding, kind="csv")


def _xlsx_cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# What a damaged or foreign "xlsx" raises from inside zipfile / zlib / the XML parser /
# openpyxl (found by tests/security/test_parser_properties.py): all mean "not a workbook".
_BROKEN_WORKBOOK = (
    BadZipFile,
    EOFError,
    IndexError,
    KeyError,
    LookupError,
    OSError,
    SyntaxError,
    TypeError,
    ValueError,
    zlib.error,
)


def _refused(error) -> FileRefused:
    return FileRefused(_("The file is not a readable XLSX workbook (%(error)s).") % {"error": error})


def _xlsx_table(stream) -> Table:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(stream, read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        rows_iter = sheet.iter_rows()
        header = [str(cell.value or "").strip() for cell in next(rows_iter)]
    except StopIteration:
        raise FileRefused(_("The file is empty.")) from None
    except (InvalidFileException, *_BROKEN_WORKBOOK) as error:
        raise _refused(error) from error

    def rows():
        try:
            for number, row in enumerate(rows_iter, start=2):
                cells, errors = [], {}
                for index, cell in enumerate(row):
                    if cell.data_type == "f":
                        errors[index] = _("A formula is not accepted; paste the values instead.")
                        cells.append("")
                    else:
                        cells.append(_xlsx_cell(cell.value))
                if any(cell != "" for cell in cells) or errors:
                    yield number, cells, errors
        except _BROKEN_WORKBOOK as error:  # a sheet damaged past its first row (read lazily)
            raise _refused(error) from error
        finally:
            workbook.close()

    return Table(header=header, rows=rows(), encoding="", kind="xlsx")
