"""Monthly payroll export: CSV (UTF-8 BOM) and XLSX content, permissions."""

import csv
import io
from datetime import date, datetime

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
    monday = day_rows[("H1002", datetime(2026, 10, 12))]  # a real date cell, not text
    assert monday[13] == 600 and monday[14] == 10.0
    assert monday[9] == datetime(2026, 10, 12, 9, 0) and monday[10] == datetime(2026, 10, 12, 20, 0)
    assert days.cell(row=2, column=10).number_format == "yyyy-mm-dd hh:mm"
    assert monday[15] == 120  # beyond 8 h a day
    assert day_rows[("H1002", datetime(2026, 10, 9))][17] == 240  # worked on 한글날
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


def test_csv_in_cp949_for_older_payroll_tools(client, manager, october):
    client.force_login(manager.user)
    response = client.get(reverse("attendance:export"), {"month": "2026-10", "format": "csv", "encoding": "cp949"})
    assert response["Content-Type"] == "text/csv; charset=cp949"
    assert not response.content.startswith(b"\xef\xbb\xbf")
    assert "이서연" in response.content.decode("cp949")
    assert client.get(reverse("attendance:export"), {"format": "csv", "encoding": "latin9"}).status_code == 400


def test_night_minutes_cover_22_to_06():
    from attendance.exports import night_minutes

    assert night_minutes(kst(2026, 10, 12, 21), kst(2026, 10, 13, 7)) == 480
    assert night_minutes(kst(2026, 10, 12, 9), kst(2026, 10, 12, 18)) == 0
    assert night_minutes(kst(2026, 10, 12, 4), kst(2026, 10, 12, 9)) == 120
    assert night_minutes(kst(2026, 10, 12, 23), kst(2026, 10, 13, 1)) == 120


def test_weekly_overtime_counts_a_week_split_by_the_month_in_the_month_it_ends(client, manager, alice, device):
    """Week Mon 2026-09-28 – Sun 10-04: 9 h worked each of Mon–Fri = 45 h, 5 h over 40 h."""
    items = []
    for day in (date(2026, 9, 28), date(2026, 9, 29), date(2026, 9, 30), date(2026, 10, 1), date(2026, 10, 2)):
        start = kst(day.year, day.month, day.day, 8)
        items += [
            {"event_id": f"{day}i", "employee": "H1002", "timestamp": start.isoformat()},
            {"event_id": f"{day}o", "employee": "H1002", "timestamp": (start.replace(hour=18)).isoformat()},
        ]
    punches_ingest(device=device, items=items)
    client.force_login(manager.user)

    def overtime(month):
        response = client.get(reverse("attendance:export"), {"month": month, "format": "xlsx"})
        summary = load_workbook(io.BytesIO(response.content)).worksheets[1]
        return {row[0]: row[5] for row in summary.iter_rows(min_row=2, values_only=True)}.get("H1002")

    assert overtime("2026-09") == 0  # the week ends in October
    assert overtime("2026-10") == 5.0  # the whole week, Sep 28–30 included
