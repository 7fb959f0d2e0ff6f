"""Monthly payroll export: CSV (UTF-8 BOM) and XLSX content, permissions."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from attendance.exports import to_csv
from attendance.selectors import work_days_for_export
from attendance.services import punches_ingest

from .conftest import kst


@pytest.fixture
def october(alice, bob, device):
    items = []
    for day in (12, 13, 14):  # Mon–Wed
        items += [
            {"event_id": f"a{day}i", "employee": "H1002", "timestamp": kst(2026, 10, day, 9).isoformat()},
            {"event_id": f"a{day}o", "employee": "H1002", "timestamp": kst(2026, 10, day, 20).isoformat()},
        ]
    items.append({"event_id": "b", "employee": "H1003", "timestamp": kst(2026, 10, 12, 9, 30).isoformat()})
    # Worked on 한글날 (2026-10-09, a Friday holiday).
    items += [
        {"event_id": "h1", "employee": "H1002", "timestamp": kst(2026, 10, 9, 10).isoformat()},
        {"event_id": "h2", "employee": "H1002", "timestamp": kst(2026, 10, 9, 14).isoformat()},
    ]
    punches_ingest(device=device, items=items)


def test_csv_has_bom_and_korean_rows(client, manager, october):
    client.force_login(manager.user)
    response = client.get(reverse("attendance:export"), {"month": "2026-10", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="attendance-2026-10.csv"'
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    header, data = rows[0], rows[1:]
    assert len(data) == 5
    assert len(header) == len(data[0])
    values = next(r for r in data if "H1002" in r and "2026-10-12" in r)
    assert "이서연" in values and "인프라팀" in values
    assert "2026-10-12 09:00" in values and "2026-10-12 20:00" in values
    assert "600" in values and "10.0" in values  # 11 h present − 1 h break
    holiday = next(r for r in data if "2026-10-09" in r)
    assert "한글날" in holiday
    missing = next(r for r in data if "H1003" in r)
    assert "" in missing and "0" in missing


def test_xlsx_days_and_summary(client, manager, october):
    client.force_login(manager.user)
    response = client.get(reverse("attendance:export"), {"month": "2026-10", "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    days, summary = book.worksheets
    assert days.max_row == 6
    day_rows = {(r[0], r[3]): r for r in days.iter_rows(min_row=2, values_only=True)}
    assert day_rows[("H1002", "2026-10-12")][13] == 600 and day_rows[("H1002", "2026-10-12")][14] == 10.0
    rows = {row[0]: row for row in summary.iter_rows(min_row=2, values_only=True)}
    alice_row = rows["H1002"]
    assert alice_row[3] == 4  # days worked
    assert alice_row[4] == round((3 * 600 + 240) / 60, 2)
    assert alice_row[8] == 1  # one day on a holiday
    assert rows["H1003"][9] == 1  # one missing punch


def test_export_is_for_managers(client, alice, october):
    client.force_login(alice.user)
    assert client.get(reverse("attendance:export"), {"month": "2026-10"}).status_code == 403


def test_export_only_covers_visible_people(client, outsider, october):
    client.force_login(outsider.user)
    response = client.get(reverse("attendance:export"), {"month": "2026-10", "format": "csv"})
    assert len(response.content.decode("utf-8-sig").strip().splitlines()) == 1  # header only


def test_unknown_format_is_a_400(client, manager):
    client.force_login(manager.user)
    assert client.get(reverse("attendance:export"), {"format": "pdf"}).status_code == 400


def test_csv_function_direct(admin_employee, october):
    data = to_csv(work_days_for_export(admin_employee.user, 2026, 10))
    assert data.decode("utf-8-sig").count("\n") == 6
    assert date(2026, 10, 12).isoformat() in data.decode("utf-8-sig")


@pytest.fixture
def client_site_day(alice, admin_employee):
    from attendance.models import Direction, Location
    from attendance.services import punch_add

    place = '=HYPERLINK("https://evil.example","click")'
    for hour, direction in ((9, Direction.IN), (18, Direction.OUT)):
        punch_add(
            employee=alice,
            at=kst(2026, 10, 20, hour),
            direction=direction,
            location=Location.CLIENT,
            place=place,
            by=admin_employee.user,
        )


def test_csv_neutralises_formula_text(client, manager, client_site_day):
    client.force_login(manager.user)
    response = client.get(reverse("attendance:export"), {"month": "2026-10", "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    place = next(value for value in rows[1] if "HYPERLINK" in value)
    assert place == '\'=HYPERLINK("https://evil.example","click")'


def test_xlsx_writes_formula_text_as_a_string(client, manager, client_site_day):
    client.force_login(manager.user)
    response = client.get(reverse("attendance:export"), {"month": "2026-10", "format": "xlsx"})
    days = load_workbook(io.BytesIO(response.content)).worksheets[0]
    cell = next(c for c in days[2] if "HYPERLINK" in str(c.value))
    assert cell.data_type == "s"
    assert cell.value.startswith("'=")
    assert days.cell(row=2, column=14).data_type == "n"  # numbers stay numbers
