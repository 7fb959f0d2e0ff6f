"""Admin: device tokens (shown once), CSV upload in any Korean encoding, mapping unknown identifiers."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from attendance.csv_import import CSVImportError, decode, items_from_csv
from attendance.models import Correction, Device, DeviceIdentifier, Punch, PunchBatch, WorkDay
from attendance.services import correction_request, device_by_token, punches_ingest
from erp.audit.models import AuditEvent

from .conftest import kst

CSV_TEXT = "사번,일시,구분\nH1002,2026-11-16 09:01,출근\nH1002,2026-11-16 18:03,퇴근\n9999,2026-11-16 09:30,출근\n"


@pytest.fixture
def admin_client(client, admin_employee):
    client.force_login(admin_employee.user)
    return client


def test_issue_token_shows_it_once_and_stores_a_hash(admin_client, device):
    response = admin_client.post(
        reverse("admin:attendance_device_changelist"), {"action": "issue_token", "_selected_action": [device.pk]}
    )
    assert response.status_code == 200
    token = response.context["token"]
    assert token.startswith("hdv_") and token in response.content.decode()
    device.refresh_from_db()
    assert device.token_hash and token not in device.token_hash and device_by_token(token) == device
    assert AuditEvent.objects.filter(action="token_issued").exists()
    admin_client.post(
        reverse("admin:attendance_device_changelist"), {"action": "revoke_token", "_selected_action": [device.pk]}
    )
    assert device_by_token(token) is None


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp949", "euc-kr"])
def test_csv_in_korean_encodings(encoding):
    items = items_from_csv(CSV_TEXT.encode(encoding))
    assert [i["employee"] for i in items] == ["H1002", "H1002", "9999"]
    assert items[0]["direction"] == "출근" and items[0]["timestamp"] == "2026-11-16 09:01"
    assert decode(CSV_TEXT.encode(encoding)).lstrip("\ufeff").startswith("사번")


def test_csv_without_required_columns_is_refused():
    with pytest.raises(CSVImportError, match="timestamp"):
        items_from_csv("사번,이름\nH1002,이서연\n".encode("cp949"))


def test_csv_upload_ingests_and_is_idempotent(admin_client, device, alice):
    url = reverse("admin:attendance_device_upload", args=[device.pk])
    data = CSV_TEXT.encode("cp949")
    response = admin_client.post(url, {"file": SimpleUploadedFile("punches.csv", data, "text/csv")})
    assert response.status_code == 200
    result = response.context["result"]
    assert (result.accepted, result.unmatched, result.rejected) == (3, 1, 0)
    day = WorkDay.objects.get(employee=alice, date=date(2026, 11, 16))
    assert (day.first_in, day.last_out) == (kst(2026, 11, 16, 9, 1), kst(2026, 11, 16, 18, 3))
    again = admin_client.post(url, {"file": SimpleUploadedFile("punches.csv", data, "text/csv")}).context["result"]
    assert (again.accepted, again.duplicates) == (0, 3)
    assert PunchBatch.objects.filter(kind="csv").count() == 2


def test_csv_upload_reports_bad_lines(admin_client, device, alice):
    text = "employee,timestamp,direction\nH1002,2026-11-16 09:00,in\nH1002,not a time,out\n"
    response = admin_client.post(
        reverse("admin:attendance_device_upload", args=[device.pk]),
        {"file": SimpleUploadedFile("p.csv", text.encode(), "text/csv")},
    )
    result = response.context["result"]
    assert result.accepted == 1 and result.rejected == 1 and result.errors[0]["line"] == 3


def test_csv_upload_with_a_broken_file_shows_a_form_error(admin_client, device):
    response = admin_client.post(
        reverse("admin:attendance_device_upload", args=[device.pk]),
        {"file": SimpleUploadedFile("p.csv", b"name\nx\n", "text/csv")},
    )
    assert response.status_code == 200 and response.context["form"].errors["file"]


def test_map_unknown_identifier_rematches_and_rederives(admin_client, device, alice):
    punches_ingest(
        device=device,
        items=[
            {"event_id": "1", "employee": "4411", "timestamp": kst(2026, 11, 16, 9).isoformat()},
            {"event_id": "2", "employee": "4411", "timestamp": kst(2026, 11, 16, 18).isoformat()},
        ],
    )
    assert not WorkDay.objects.exists()
    changelist = admin_client.get(reverse("admin:attendance_unmatchedpunch_changelist"))
    assert changelist.status_code == 200 and "4411" in changelist.content.decode()
    ids = list(Punch.objects.values_list("pk", flat=True))
    url = reverse("admin:attendance_unmatchedpunch_changelist")
    confirm = admin_client.post(url, {"action": "map_identifier", "_selected_action": ids})
    assert confirm.status_code == 200 and "4411" in confirm.content.decode()
    admin_client.post(
        url,
        {"action": "map_identifier", "_selected_action": ids, "apply": "1", "employee": alice.pk, "scope": "device"},
    )
    assert DeviceIdentifier.objects.get().employee == alice
    assert Punch.objects.filter(employee=alice).count() == 2
    assert WorkDay.objects.get(employee=alice).worked_minutes == 480
    # Later punches with the identifier are matched on arrival.
    punches_ingest(
        device=device, items=[{"event_id": "3", "employee": "4411", "timestamp": kst(2026, 11, 17, 9).isoformat()}]
    )
    assert Punch.objects.get(device_event_id="3").employee == alice


def test_admin_pages_render(admin_client, device, alice, manager):
    punches_ingest(
        device=device, items=[{"event_id": "1", "employee": "H1002", "timestamp": kst(2026, 11, 16, 9).isoformat()}]
    )
    correction_request(
        employee=alice,
        date=date(2026, 11, 16),
        proposed_in=None,
        proposed_out=kst(2026, 11, 16, 18),
        reason="r",
        by=alice.user,
    )
    for name in ("device", "punch", "punchbatch", "workday", "correction", "deviceidentifier", "unmatchedpunch"):
        assert admin_client.get(reverse(f"admin:attendance_{name}_changelist")).status_code == 200, name
    assert (
        admin_client.get(reverse("admin:attendance_workday_change", args=[WorkDay.objects.get().pk])).status_code == 200
    )
    assert admin_client.get(reverse("admin:attendance_punch_add")).status_code == 200


def test_admin_adds_a_punch_through_the_service(admin_client, alice):
    response = admin_client.post(
        reverse("admin:attendance_punch_add"),
        {
            "employee": alice.pk,
            "at_0": "2026-11-16",
            "at_1": "09:00:00",
            "direction": "in",
            "location": "office",
            "place": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    punch = Punch.objects.get()
    assert punch.source == "admin" and WorkDay.objects.get().first_in == kst(2026, 11, 16, 9)


def test_admin_approves_correction(admin_client, device, alice):
    punches_ingest(
        device=device, items=[{"event_id": "1", "employee": "H1002", "timestamp": kst(2026, 11, 16, 9).isoformat()}]
    )
    correction = correction_request(
        employee=alice,
        date=date(2026, 11, 16),
        proposed_in=None,
        proposed_out=kst(2026, 11, 16, 18),
        reason="r",
        by=alice.user,
    )
    admin_client.post(
        reverse("admin:attendance_correction_changelist"), {"action": "approve", "_selected_action": [correction.pk]}
    )
    correction.refresh_from_db()
    assert correction.status == Correction.Status.APPROVED
    assert WorkDay.objects.get().state == "done"


def test_devices_are_created_with_audit(admin_client):
    admin_client.post(
        reverse("admin:attendance_device_add"),
        {"code": "pangyo-2f", "name": "판교 2층", "location": "office", "place": ""},
    )
    assert Device.objects.filter(code="pangyo-2f").exists()


def test_admin_marks_leave_over_a_range(admin_client, alice):
    url = reverse("admin:attendance_workday_leave")
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url, {"employee": alice.pk, "first_day": "2026-11-13", "last_day": "2026-11-16", "on_leave": "1"}
    )
    assert response.status_code == 302
    days = sorted(WorkDay.objects.filter(employee=alice).values_list("date", "state"))
    assert days == [(date(2026, 11, 13), "leave"), (date(2026, 11, 16), "leave")]  # weekend skipped
    assert admin_client.get(reverse("admin:attendance_workday_changelist")).status_code == 200
    admin_client.post(url, {"employee": alice.pk, "first_day": "2026-11-13", "last_day": "2026-11-16", "on_leave": "0"})
    assert not WorkDay.objects.filter(employee=alice).exists()


def test_leave_form_refuses_a_reversed_range(admin_client, alice):
    response = admin_client.post(
        reverse("admin:attendance_workday_leave"),
        {"employee": alice.pk, "first_day": "2026-11-16", "last_day": "2026-11-13", "on_leave": "1"},
    )
    assert response.status_code == 200 and response.context["form"].errors
