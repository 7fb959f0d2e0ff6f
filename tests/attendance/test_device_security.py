"""Device webhook hardening (security review M5, issue 15): request signing per device, an
employee scope per device, and back-dated punches held for an admin's decision.

Every request here is a real signed HTTP request through the whole stack (middleware, DRF,
the webhook kit): the body bytes are signed exactly as a device would sign them.
"""

import hashlib
import hmac
import json
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from attendance.models import Device, HeldPunch, Punch, WorkDay
from attendance.services import (
    device_clear_signing_secret,
    device_issue_signing_secret,
    device_set_scope,
    held_punch_approve,
    held_punch_reject,
)
from erp.audit.actor import Actor
from erp.audit.models import AuditEvent

from .conftest import kst

URL = "/api/attendance/punches"


def item(event_id, employee, when, direction=None):
    return {"event_id": str(event_id), "employee": employee, "timestamp": when.isoformat(), "direction": direction}


def body_of(punches) -> bytes:
    return json.dumps({"device_id": "seoul-hq-1f", "punches": punches}, ensure_ascii=False).encode()


def signature(secret: str, stamp: str, body: bytes) -> str:
    return "v1=" + hmac.new(secret.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def send(client, body: bytes, *, secret=None, stamp=None, sig=None, **headers):
    """POST the raw bytes; with ``secret`` they are signed (``stamp`` defaults to now)."""
    if secret is not None:
        stamp = stamp if stamp is not None else str(int(timezone.now().timestamp()))
        headers["HTTP_X_HARU_TIMESTAMP"] = stamp
        headers["HTTP_X_HARU_SIGNATURE"] = sig if sig is not None else signature(secret, stamp, body)
    return client.generic("POST", URL, body, content_type="application/json", **headers)


@pytest.fixture
def admin_actor(admin_employee):
    return Actor(user=admin_employee.user, source="admin")


@pytest.fixture
def secret(device, device_token, admin_actor):
    return device_issue_signing_secret(device=device, by=admin_actor)


RECENT = kst(2026, 12, 1, 9, 0)  # the clock is pinned at 2 December 2026, 10:00 KST


# --- request signing ------------------------------------------------------------------------
def test_a_signed_request_is_accepted(device_client, secret, alice):
    body = body_of([item(1, "H1002", RECENT, "in")])
    response = send(device_client, body, secret=secret)
    assert response.status_code == 200, response.json()
    assert response.json()["accepted"] == 1


@pytest.mark.parametrize(
    "case",
    ["unsigned", "wrong secret", "tampered body", "no v1 prefix", "stale 301 s", "future 301 s", "not digits", "huge"],
)
def test_a_device_with_a_secret_must_sign_correctly(device_client, secret, alice, case):
    body = body_of([item(1, "H1002", RECENT, "in")])
    now = int(timezone.now().timestamp())
    if case == "unsigned":
        response = send(device_client, body)
    elif case == "wrong secret":
        response = send(device_client, body, secret="hds_not-the-secret")
    elif case == "tampered body":
        stamp = str(now)
        sig = signature(secret, stamp, body)
        response = send(device_client, body.replace(b"H1002", b"H1003"), secret=secret, stamp=stamp, sig=sig)
    elif case == "no v1 prefix":
        stamp = str(now)
        response = send(device_client, body, secret=secret, stamp=stamp, sig=signature(secret, stamp, body)[3:])
    elif case == "stale 301 s":
        response = send(device_client, body, secret=secret, stamp=str(now - 301))
    elif case == "future 301 s":
        response = send(device_client, body, secret=secret, stamp=str(now + 301))
    elif case == "not digits":
        response = send(device_client, body, secret=secret, stamp="１７９６１５２１７０")
    else:
        response = send(device_client, body, secret=secret, stamp="9" * 400)
    assert response.status_code == 401, response.content
    assert response.json()["message"]
    assert not Punch.objects.exists()


def test_the_window_is_five_minutes_either_way_and_hex_case_does_not_matter(device_client, secret, alice):
    now = int(timezone.now().timestamp())
    for n, stamp in enumerate((now - 290, now + 290)):
        body = body_of([item(n, "H1002", RECENT + timedelta(hours=n), "in")])
        sig = signature(secret, str(stamp), body).upper().replace("V1=", "v1=")
        assert send(device_client, body, secret=secret, stamp=str(stamp), sig=sig).status_code == 200


def test_a_replay_inside_the_window_is_harmless(device_client, secret, alice):
    body = body_of([item(1, "H1002", RECENT, "in")])
    stamp = str(int(timezone.now().timestamp()))
    first = send(device_client, body, secret=secret, stamp=stamp).json()
    again = send(device_client, body, secret=secret, stamp=stamp).json()
    assert (first["accepted"], again["accepted"], again["duplicates"]) == (1, 0, 1)
    assert Punch.objects.count() == 1


def test_signing_is_optional_per_device_and_can_be_switched_off(device_client, device, secret, alice, admin_actor):
    body = body_of([item(1, "H1002", RECENT, "in")])
    assert send(device_client, body).status_code == 401
    device_clear_signing_secret(device=device, by=admin_actor)
    assert send(device_client, body).status_code == 200  # token alone again
    actions = list(AuditEvent.objects.filter(object_id=str(device.pk)).values_list("action", flat=True))
    assert "signing_secret_issued" in actions and "signing_secret_cleared" in actions
    # The secret is never written to the audit trail.
    assert not any(secret in json.dumps(e.context) for e in AuditEvent.objects.all())


def test_a_token_is_still_required_with_a_signature(secret, alice):
    body = body_of([item(1, "H1002", RECENT, "in")])
    assert send(APIClient(), body, secret=secret).status_code == 401


def test_admin_issues_the_secret_once(client, admin_employee, device):
    client.force_login(admin_employee.user)
    response = client.post(
        reverse("admin:attendance_device_changelist"),
        {"action": "issue_signing_secret", "_selected_action": [device.pk]},
    )
    assert response.status_code == 200
    shown = response.context["secret"]
    device.refresh_from_db()
    assert shown.startswith("hds_") and device.signing_secret == shown and shown in response.content.decode()


# --- employee scope -------------------------------------------------------------------------
def test_a_scoped_device_refuses_other_people_per_item(device_client, device, alice, bob, admin_actor):
    device_set_scope(device=device, employees=[alice], departments=[], by=admin_actor)
    body = body_of([item(1, "H1002", RECENT, "in"), item(2, "H1003", RECENT, "in"), item(3, "9999", RECENT, "in")])
    response = send(device_client, body)
    assert response.status_code == 200
    payload = response.json()
    assert (payload["accepted"], payload["rejected"], payload["unmatched"]) == (1, 2, 0)
    assert [e["index"] for e in payload["errors"]] == [1, 2]
    assert all("직원 범위" in e["errors"]["employee"] for e in payload["errors"])  # Korean by default
    assert list(Punch.objects.values_list("employee", flat=True)) == [alice.pk]
    assert AuditEvent.objects.filter(action="scope_changed", object_id=str(device.pk)).exists()


def test_a_department_scope_and_all_refused_is_a_400(device_client, device, alice, outsider, admin_actor):
    device_set_scope(device=device, employees=[], departments=[outsider.department], by=admin_actor)
    response = send(device_client, body_of([item(1, "H1002", RECENT, "in")]))
    assert response.status_code == 400 and response.json()["rejected"] == 1
    assert send(device_client, body_of([item(2, "H2001", RECENT, "in")])).json()["accepted"] == 1


def test_without_a_scope_anyone_and_unknown_identifiers_still_go_in(device_client, alice, bob):
    payload = send(device_client, body_of([item(1, "H1003", RECENT), item(2, "9999", RECENT)])).json()
    assert (payload["accepted"], payload["unmatched"], payload["rejected"]) == (2, 1, 0)


# --- back-dating window ---------------------------------------------------------------------
@pytest.fixture
def default_window(device):
    Device.objects.filter(pk=device.pk).update(backdate_days=None)  # the company setting: 7 days


def test_the_reviews_2019_attack_is_held_not_applied(device_client, default_window, alice):
    body = body_of(
        [item("sec-3", "H1002", kst(2019, 3, 4, 9), "in"), item("sec-4", "H1002", kst(2019, 3, 4, 23), "out")]
    )
    payload = send(device_client, body).json()
    assert (payload["accepted"], payload["held"], payload["rejected"]) == (0, 2, 0)
    assert not Punch.objects.exists() and not WorkDay.objects.filter(date=date(2019, 3, 4)).exists()
    held = HeldPunch.objects.order_by("device_event_id")
    assert [h.status for h in held] == ["pending", "pending"] and held[0].employee == alice
    assert held[0].window_days == 7
    # The device re-sends its backlog: nothing is queued twice.
    again = send(device_client, body).json()
    assert (again["held"], again["duplicates"]) == (0, 2) and HeldPunch.objects.count() == 2


def test_recent_punches_go_in_and_older_ones_wait(device_client, default_window, alice):
    inside = kst(2026, 11, 26, 9)  # 6 days ago
    outside = kst(2026, 11, 24, 9)  # 8 days ago
    payload = send(device_client, body_of([item(1, "H1002", inside, "in"), item(2, "H1002", outside, "in")])).json()
    assert (payload["accepted"], payload["held"]) == (1, 1)


def test_the_window_is_a_company_setting_and_a_device_setting(device_client, device, default_window, alice, settings):
    ten_days_ago = kst(2026, 11, 22, 9)
    settings.ATTENDANCE_BACKDATE_DAYS = 14
    assert send(device_client, body_of([item(1, "H1002", ten_days_ago, "in")])).json()["accepted"] == 1
    Device.objects.filter(pk=device.pk).update(backdate_days=3)
    assert send(device_client, body_of([item(2, "H1002", ten_days_ago, "out")])).json()["held"] == 1


def test_an_approved_punch_is_applied_and_audited(device_client, default_window, alice, admin_employee):
    send(
        device_client,
        body_of([item("a", "H1002", kst(2026, 11, 2, 9), "in"), item("b", "H1002", kst(2026, 11, 2, 18), "out")]),
    )
    for held in HeldPunch.objects.all():
        held_punch_approve(held=held, by=Actor(user=admin_employee.user, source="admin"), note="단말기 장애 복구분")
    day = WorkDay.objects.get(employee=alice, date=date(2026, 11, 2))
    assert day.first_in == kst(2026, 11, 2, 9) and day.last_out == kst(2026, 11, 2, 18)
    held = HeldPunch.objects.get(device_event_id="a")
    assert held.status == "approved" and held.punch.batch_id == held.batch_id and held.decided_by == admin_employee.user
    event = AuditEvent.objects.get(action="approved", object_id=str(held.pk))
    assert event.actor == admin_employee.user and event.context["note"] == "단말기 장애 복구분"
    with pytest.raises(ValidationError):  # already decided
        held_punch_approve(held=held, by=Actor(user=admin_employee.user, source="admin"))


def test_a_rejected_punch_is_kept_and_never_applied(device_client, default_window, alice, admin_employee):
    send(device_client, body_of([item("a", "H1002", kst(2026, 11, 2, 9), "in")]))
    held = held_punch_reject(held=HeldPunch.objects.get(), by=Actor(user=admin_employee.user, source="admin"))
    assert held.status == "rejected" and held.punch is None
    assert not Punch.objects.exists() and not WorkDay.objects.exists()
    assert AuditEvent.objects.filter(action="rejected", object_id=str(held.pk)).exists()
    # A re-send after the decision does not reopen it.
    assert send(device_client, body_of([item("a", "H1002", kst(2026, 11, 2, 9), "in")])).json()["duplicates"] == 1


def test_admin_decides_from_the_review_queue(client, admin_employee, device_client, default_window, alice):
    send(
        device_client,
        body_of([item("a", "H1002", kst(2026, 11, 2, 9), "in"), item("b", "H1002", kst(2026, 11, 3, 9), "in")]),
    )
    client.force_login(admin_employee.user)
    changelist = reverse("admin:attendance_heldpunch_changelist")
    assert client.get(changelist).status_code == 200
    first, second = HeldPunch.objects.order_by("device_event_id")
    client.post(changelist, {"action": "approve", "_selected_action": [first.pk]})
    client.post(changelist, {"action": "reject", "_selected_action": [second.pk, first.pk]})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("approved", "rejected")  # the approved one stays approved
    assert Punch.objects.count() == 1
    assert client.get(reverse("admin:attendance_heldpunch_change", args=[first.pk])).status_code == 200


def test_admin_csv_upload_applies_old_punches_directly(client, admin_employee, device, default_window, alice):
    """An admin uploading a file is the reviewer: the window is for the unattended webhook."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(admin_employee.user)
    data = "사번,일시,구분\nH1002,2026-10-05 09:01,출근\n".encode()
    client.post(
        reverse("admin:attendance_device_upload", args=[device.pk]),
        {"file": SimpleUploadedFile("punches.csv", data, "text/csv")},
    )
    assert Punch.objects.count() == 1 and not HeldPunch.objects.exists()
