"""Malformed query strings, headers and punch items get a clear 4xx (never a 500, never lost data)."""

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from attendance.models import Punch, PunchBatch

from .conftest import kst

HUGE = str(10**23)
DAYS_API = "/api/attendance/days"
PUNCHES_API = "/api/attendance/punches"


@pytest.fixture
def api(manager):
    client = APIClient()
    client.force_authenticate(manager.user)
    return client


@pytest.mark.parametrize(
    "params",
    [
        {"month": "99999-01"},
        {"month": "abc"},
        {"month": "2026-13"},
        {"month": "1999-12"},
        {"employee": HUGE},
        {"department": HUGE},
        {"employee": "-1"},
    ],
)
def test_days_api_bad_filters_are_400_with_a_message(api, params):
    response = api.get(DAYS_API, params)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["message"]
    assert set(body["errors"]) == set(params)


def test_days_api_good_month_still_filters(api, alice):
    assert api.get(DAYS_API, {"month": "2026-11"}).status_code == 200


@pytest.mark.parametrize("cursor", ["garbage", "cD0yMDI2", "bz0tNQ==", "cj14", "cD05OTk5OS0wMS0wMQ=="])
def test_days_api_bad_cursor_is_400(api, cursor):
    response = api.get(DAYS_API, {"cursor": cursor})
    assert response.status_code == 400
    assert response.json()["message"]


@pytest.mark.parametrize(
    "params",
    [{"department": HUGE}, {"department": "abc"}, {"date": "0001-01-01"}, {"date": "9999-12-31"}, {"date": "x"}],
)
def test_team_view_bad_query_is_400(client, manager, params):
    client.force_login(manager.user)
    response = client.get(reverse("attendance:team"), params)
    assert response.status_code == 400
    assert response.content.decode()


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2026-02-30"])
def test_correction_form_bad_date_is_400(client, alice, day):
    client.force_login(alice.user)
    response = client.get(reverse("attendance:correction-new"), {"date": day})
    assert response.status_code == 400
    assert response.content.decode()


def test_correction_form_bad_employee_is_400(client, manager):
    client.force_login(manager.user)
    response = client.get(reverse("attendance:correction-new"), {"employee": HUGE})
    assert response.status_code in (400, 404)


def test_export_bad_department_is_400(client, manager):
    client.force_login(manager.user)
    response = client.get(reverse("attendance:export"), {"month": "2026-10", "department": HUGE})
    assert response.status_code == 400


def test_team_view_extreme_but_sane_days_work(client, manager):
    client.force_login(manager.user)
    assert client.get(reverse("attendance:team"), {"date": "2000-01-01"}).status_code == 200
    assert client.get(reverse("attendance:team"), {"date": "2100-12-31"}).status_code == 200


@pytest.mark.parametrize("length", ["abc", "-5", "1e3", " "])
def test_malformed_content_length_is_a_clear_4xx(device_client, length):
    response = device_client.post(
        PUNCHES_API,
        data=b'{"punches": []}',
        content_type="application/json",
        CONTENT_LENGTH=length,
    )
    assert response.status_code in (400, 411)
    assert response.json()["message"]


def _item(event_id, employee="H1002", timestamp=None, **extra):
    return {"event_id": event_id, "employee": employee, "timestamp": timestamp or kst(2026, 11, 16, 9).isoformat()}


@pytest.mark.parametrize(
    "bad, field",
    [
        (_item("y1", timestamp="0001-01-01T00:00:00+09:00"), "timestamp"),
        (_item("y9", timestamp="9999-12-31T23:59:59+09:00"), "timestamp"),
        (_item("y9z", timestamp="9999-12-31T23:59:59-14:00"), "timestamp"),
        (_item("y0", timestamp="1999-12-31T23:59:59+09:00"), "timestamp"),
        (_item("nul\x00id"), "event_id"),
        (_item("ctl\x07id"), "event_id"),
        (_item("e-nul", employee="H10\x0002"), "employee"),
        (_item("e-ctl", employee="H1002\x1b"), "employee"),
    ],
)
def test_bad_punch_item_is_rejected_and_the_rest_kept(device_client, alice, bad, field):
    good = _item("good-1")
    response = device_client.post(PUNCHES_API, {"punches": [good, bad]}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["accepted"] == 1 and body["rejected"] == 1
    assert body["errors"][0]["index"] == 1 and field in body["errors"][0]["errors"]
    assert Punch.objects.filter(device_event_id="good-1").exists()
    batch = PunchBatch.objects.get(pk=body["batch_id"])
    assert batch.rejected == 1 and len(batch.errors) == 1


def test_nul_in_other_fields_is_stored_safely(device_client, alice):
    """Extra keys of an accepted item are kept in ``raw`` (JSONB cannot hold NUL)."""
    item = {**_item("extra-nul"), "note": "a\x00b", "k\x00": 1}
    response = device_client.post(PUNCHES_API, {"punches": [item]}, format="json")
    assert response.status_code == 200, response.content
    punch = Punch.objects.get(device_event_id="extra-nul")
    assert "\x00" not in str(punch.raw)


@pytest.mark.postgres
def test_nul_never_reaches_postgresql(device_client, alice):
    assert connection.vendor == "postgresql"
    items = [
        _item("ok"),
        _item("nul\x00id"),
        _item("e-nul", employee="H\x00"),
        {**_item("raw-nul"), "note": "\x00"},
        {"event_id": "bad\x00", "employee": "\x00", "timestamp": "\x00"},
    ]
    response = device_client.post(PUNCHES_API, {"punches": items}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["accepted"] == 2 and body["rejected"] == 3
    batch = PunchBatch.objects.get(pk=body["batch_id"])
    assert len(batch.errors) == 3 and "\x00" not in str(batch.errors)


@pytest.mark.parametrize("place", ["a\x00b", "line\x1bescape"])
def test_check_in_place_with_control_characters_is_a_400(client, alice, place):
    client.force_login(alice.user)
    response = client.post(
        "/api/attendance/me/check-in", {"location": "client", "place": place}, content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["message"]
    assert not Punch.objects.exists()
