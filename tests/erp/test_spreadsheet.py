"""erp.core.spreadsheet: formula-looking text is neutralised; numbers and dates are not."""

import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook

from erp.core.spreadsheet import append_safe_row, safe_cell


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("https://evil.example","x")', "+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "=cmd|' /C calc'!A0"],
)
def test_formula_like_text_gets_a_quote(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["본사 1층", "a=b", "", " =1", "H1002"])
def test_plain_text_is_unchanged(value):
    assert safe_cell(value) == value


@pytest.mark.parametrize("value", [None, -5, 3.5, 0, True, date(2026, 11, 20), datetime(2026, 11, 20, 9)])
def test_non_text_values_pass_through(value):
    assert safe_cell(value) is value


def test_xlsx_row_stores_strings_never_formulas():
    book = Workbook()
    sheet = book.active
    append_safe_row(sheet, ["header"])
    append_safe_row(sheet, ['=HYPERLINK("https://evil.example","x")', -3, 2.5, "plain"])
    cells = sheet[2]
    assert [c.data_type for c in cells] == ["s", "n", "n", "s"]
    output = io.BytesIO()
    book.save(output)
    reloaded = load_workbook(io.BytesIO(output.getvalue())).active
    assert reloaded["A2"].value == '\'=HYPERLINK("https://evil.example","x")'
    assert reloaded["A2"].data_type == "s"
    assert reloaded["B2"].value == -3
