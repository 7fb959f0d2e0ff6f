"""The device webhook: batches, idempotency, late and out-of-order punches, clear 4xx errors."""

import json
from datetime import date, timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from attendance.models import DayState, Punch, PunchBatch, WorkDay
from attendance.services import device_revoke_token
from erp.audit.actor import Actor

from .conftest import kst

URL = "/api/attendance/punches"


def item(event_id, employee, when, direction=None):
    return {"event_id": str(event_id), "employee": employee, "timestamp": when.isoformat(), "direction": direction}


def post(client, punches, **extra):
    return client.post(URL, {"device_id": "seoul-hq-1f", "punches": punches, **extra}, format="json")


def test_batch_is_stored_and_days_derived(device_client, alice, bob):
    response = post(
        device_client,
        [
            item(1, "H1002", kst(2026, 11, 16, 8, 58), "in"),
            item(2, "H1003", kst(2026, 11, 16, 9, 5)),
            item(3, "H1002", kst(2026, 11, 16, 18, 1), "out"),
            item(4, "H1003", kst(2026, 11, 16, 18, 30)),
        ],
    )
    assert response.status_code == 200, response.json()
    assert response.json() | {"batch_id": None} == {
        "batch_id": None,
        "accepted": 4,
        "duplicates": 0,
        "unmatched": 0,
        "rejected": 0,
        "held": 0,
        "errors": [],
    }
    day = WorkDay.objects.get(employee=alice, date=date(2026, 11, 16))
    assert (day.state, day.first_in, day.last_out, day.worked_minutes) == (
        DayState.DONE,
        kst(2026, 11, 16, 8, 58),
        kst(2026, 11, 16, 18, 1),
        483,
    )
    assert day.location == "office" and day.place == "본사 1층"
    assert WorkDay.objects.get(employee=bob, date=date(2026, 11, 16)).worked_minutes == 505


def test_x_device_token_header_works(device_token, alice):
    client = APIClient()
    client.credentials(HTTP_X_DEVICE_TOKEN=device_token)
    assert post(client, [item(1, "H1002", kst(2026, 11, 16, 9))]).status_code == 200


def test_replayed_batch_is_idempotent(device_client, alice):
    punches = [item(1, "H1002", kst(2026, 11, 16, 9)), item(2, "H1002", kst(2026, 11, 16, 18))]
    assert post(device_client, punches).json()["accepted"] == 2
    again = post(device_client, punches + [item(2, "H1002", kst(2026, 11, 16, 18))]).json()
    assert (again["accepted"], again["duplicates"]) == (0, 3)
    assert Punch.objects.count() == 2
    assert WorkDay.objects.get(employee=alice).worked_minutes == 480


def test_out_of_order_and_late_batches_give_the_same_days(device_client, alice):
    # The device was offline: the evening arrives before the morning, the next day before both.
    post(device_client, [item(3, "H1002", kst(2026, 11, 17, 9, 10)), item(2, "H1002", kst(2026, 11, 16, 18, 20))])
    day = WorkDay.objects.get(employee=alice, date=date(2026, 11, 16))
    assert day.first_in == kst(2026, 11, 16, 18, 20) and day.state == DayState.MISSING_CHECKOUT
    post(device_client, [item(1, "H1002", kst(2026, 11, 16, 8, 50)), item(4, "H1002", kst(2026, 11, 17, 19))])
    day.refresh_from_db()
    assert (day.first_in, day.last_out, day.state) == (kst(2026, 11, 16, 8, 50), kst(2026, 11, 16, 18, 20), "done")
    assert WorkDay.objects.get(employee=alice, date=date(2026, 11, 17)).worked_minutes == 530


def test_unknown_employee_is_kept_unmatched(device_client, alice):
    body = post(device_client, [item(1, "4411", kst(2026, 11, 16, 9)), item(2, "H1002", kst(2026, 11, 16, 9))]).json()
    assert (body["accepted"], body["unmatched"]) == (2, 1)
    punch = Punch.objects.get(device_event_id="1")
    assert punch.employee is None and punch.employee_identifier == "4411"
    assert punch.raw["employee"] == "4411"


def test_bad_items_are_reported_and_good_ones_stored(device_client, alice):
    response = post(
        device_client,
        [
            item(1, "H1002", kst(2026, 11, 16, 9)),
            {"event_id": "2", "employee": "H1002", "timestamp": "2026-11-16 18:00"},  # no offset
            {"event_id": "3", "employee": "", "timestamp": kst(2026, 11, 16, 18).isoformat()},
            {"event_id": "4", "employee": "H1002", "timestamp": kst(2026, 11, 16, 18).isoformat(), "direction": "up"},
            "not an object",
            item(6, "H1002", timezone.now() + timedelta(days=2)),
        ],
    )
    body = response.json()
    assert response.status_code == 200
    assert (body["accepted"], body["rejected"]) == (1, 5)
    errors = {e["index"]: e for e in body["errors"]}
    assert set(errors) == {1, 2, 3, 4, 5}
    assert "timestamp" in errors[1]["errors"] and errors[1]["event_id"] == "2"
    assert "employee" in errors[2]["errors"]
    assert "direction" in errors[3]["errors"]
    assert "timestamp" in errors[5]["errors"] and errors[5]["event_id"] == "6"  # in the future
    batch = PunchBatch.objects.get()
    assert batch.rejected == 5 and batch.errors[2]["item"]["direction"] == "up"  # kept as evidence
    assert Punch.objects.count() == 1


def test_all_rejected_is_a_400(device_client):
    response = post(device_client, [{"event_id": "1"}])
    assert response.status_code == 400
    assert response.json()["rejected"] == 1 and response.json()["message"]


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"HTTP_AUTHORIZATION": "Device hdv_nope"}, 401),
        ({"HTTP_AUTHORIZATION": "Token abc"}, 401),
        ({"HTTP_X_DEVICE_TOKEN": "wrong"}, 401),
    ],
)
def test_bad_token_is_refused(db, device_token, headers, status):
    response = APIClient().post(URL, {"punches": []}, format="json", **headers)
    assert response.status_code == status
    assert response.json()["message"]
    assert not PunchBatch.objects.exists()


def test_revoked_token_is_refused(device, device_client, admin_employee):
    device_revoke_token(device=device, by=Actor(user=admin_employee.user, source="admin"))
    response = post(device_client, [])
    assert response.status_code == 401


def test_malformed_json_is_a_clear_400(device_client):
    response = device_client.post(URL, data=b'{"punches": [', content_type="application/json")
    assert response.status_code == 400
    assert "JSON" in response.json()["message"]


@pytest.mark.parametrize("body", [[], {"punches": "x"}, {"nothing": 1}])
def test_wrong_shape_is_a_clear_400(device_client, body):
    response = device_client.post(URL, data=json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert "punches" in response.json()["message"]


def test_other_device_id_is_refused(device_client):
    response = post(device_client, [], device_id="another-device")
    assert response.status_code == 400


def test_too_many_punches_is_a_413(device_client, settings):
    settings.ATTENDANCE_MAX_BATCH = 3
    response = post(device_client, [item(i, "H1002", kst(2026, 11, 16, 9, i)) for i in range(4)])
    assert response.status_code == 413 and "3" in response.json()["message"] and "4" in response.json()["message"]


def test_not_json_is_a_415(device_client):
    response = device_client.post(URL, data="punches=1", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415 and response.json()["message"]


def test_schema_documents_the_webhook(client, admin_employee):
    client.force_login(admin_employee.user)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/attendance/punches" in schema and "DeviceToken" in schema


def test_night_shift_across_midnight_belongs_to_its_start_day(device_client, alice):
    post(
        device_client,
        [item(2, "H1002", kst(2026, 11, 15, 2, 30)), item(1, "H1002", kst(2026, 11, 14, 22, 0))],  # Sat → Sun
    )
    days = list(WorkDay.objects.filter(employee=alice))
    assert [d.date for d in days] == [date(2026, 11, 14)]
    assert days[0].last_out == kst(2026, 11, 15, 2, 30) and days[0].worked_minutes == 270 - 30


def test_missing_token_answers_401_with_a_message(db):
    response = APIClient().post(URL, {"punches": []}, format="json")
    assert response.status_code == 401 and "Device" in response["WWW-Authenticate"]
    assert "token" in response.json()["message"].lower() or "토큰" in response.json()["message"]


def test_an_idempotency_key_changes_nothing_for_devices(device_client, alice):
    """The device source keeps no idempotency keys: event ids already make a re-send harmless,
    and the answer to a re-send counts its duplicates, which devices read."""
    body = {"punches": [item(1, "H1002", kst(2026, 11, 16, 9))]}
    first = device_client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="batch-1").json()
    again = device_client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="batch-1")
    assert (first["accepted"], again.json()["accepted"], again.json()["duplicates"]) == (1, 0, 1)
    assert "Idempotent-Replayed" not in again
