"""Web pages: my month, check-in/out buttons, the team view, corrections, home panel."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from attendance.models import Correction, Punch, WorkDay
from attendance.services import correction_request, punches_ingest

from .conftest import kst


@pytest.fixture
def week_of_punches(alice, bob, device):
    items = []
    for employee_no in ("H1002", "H1003"):
        for day in (16, 17, 18):
            items += [
                {
                    "event_id": f"{employee_no}-{day}-in",
                    "employee": employee_no,
                    "timestamp": kst(2026, 11, day, 9).isoformat(),
                },
                {
                    "event_id": f"{employee_no}-{day}-out",
                    "employee": employee_no,
                    "timestamp": kst(2026, 11, day, 18).isoformat(),
                },
            ]
    punches_ingest(device=device, items=items)


def test_my_month_shows_days_and_week_totals(client, alice, week_of_punches):
    client.force_login(alice.user)
    response = client.get(reverse("attendance:month"), {"month": "2026-11"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "09:00" in html and "18:00" in html
    calendar = response.context["calendar"]
    assert calendar.worked_minutes == 3 * 480
    assert calendar.weeks[3].week_start == date(2026, 11, 16) and calendar.weeks[3].total_minutes == 1440


def test_month_shows_holidays(client, alice):
    client.force_login(alice.user)
    html = client.get(reverse("attendance:month"), {"month": "2026-10"}).content.decode()
    assert "개천절" in html  # 2026-10-03


def test_bad_month_parameter_falls_back(client, alice):
    client.force_login(alice.user)
    assert client.get(reverse("attendance:month"), {"month": "garbage"}).status_code == 200


def test_web_check_in_and_out(client, alice):
    client.force_login(alice.user)
    response = client.post(reverse("attendance:check-in"), {"location": "remote", "place": ""}, follow=True)
    assert response.status_code == 200
    assert Punch.objects.get().source == "web"
    assert "Checked in" in response.content.decode() or "출근" in response.content.decode()
    response = client.post(reverse("attendance:check-in"), {"location": "office"}, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert any("already" in m or "이미" in m for m in messages)
    client.post(reverse("attendance:check-out"))
    assert Punch.objects.filter(direction="out").count() == 1


def test_web_check_in_client_needs_place(client, alice):
    client.force_login(alice.user)
    client.post(reverse("attendance:check-in"), {"location": "client", "place": ""})
    assert not Punch.objects.exists()


def test_check_in_requires_post_and_login(client, alice):
    assert client.post(reverse("attendance:check-in")).status_code == 302  # to login
    client.force_login(alice.user)
    assert client.get(reverse("attendance:check-in")).status_code == 405


def test_team_view_for_managers_only(client, alice, manager, week_of_punches):
    client.force_login(alice.user)
    assert client.get(reverse("attendance:team")).status_code == 403
    client.force_login(manager.user)
    response = client.get(reverse("attendance:team"), {"date": "2026-11-18"})
    assert response.status_code == 200
    rows = {line["employee"].display_name: line["row"] for line in response.context["rows"]}
    assert rows["이서연"].week_minutes == 1440 and rows["이서연"].today.last_out == kst(2026, 11, 18, 18)
    assert "이서연" in response.content.decode()


def test_manager_sees_a_report_month_but_staff_do_not(client, alice, bob, manager, week_of_punches):
    client.force_login(manager.user)
    assert client.get(reverse("attendance:employee-month", args=[alice.pk])).status_code == 200
    client.force_login(bob.user)
    assert client.get(reverse("attendance:employee-month", args=[alice.pk])).status_code == 404


def test_correction_flow_on_the_web(client, alice, manager, device):
    punches_ingest(
        device=device, items=[{"event_id": "1", "employee": "H1002", "timestamp": kst(2026, 11, 16, 9).isoformat()}]
    )
    client.force_login(alice.user)
    form = client.get(reverse("attendance:correction-new"), {"date": "2026-11-16"})
    assert form.status_code == 200 and form.context["form"].initial["check_in"].hour == 9
    response = client.post(
        reverse("attendance:correction-new"),
        {"date": "2026-11-16", "check_in": "09:00", "check_out": "18:30", "reason": "퇴근 체크 누락"},
    )
    assert response.status_code == 302, response.context["form"].errors
    correction = Correction.objects.get()
    client.force_login(manager.user)
    listing = client.get(reverse("attendance:corrections"))
    assert correction in listing.context["to_decide"]
    client.post(reverse("attendance:correction-decide", args=[correction.pk]), {"decision": "approve"})
    assert WorkDay.objects.get(employee=alice).last_out == kst(2026, 11, 16, 18, 30)
    detail = client.get(reverse("attendance:correction-detail", args=[correction.pk]))
    assert detail.status_code == 200 and "approved" in [e.event.action for e in detail.context["events"]]
    # The history in words (korean.md §3 #9): no raw action names or field values.
    with translation.override("ko"):
        page = client.get(reverse("attendance:correction-detail", args=[correction.pk])).content.decode()
    assert "정정 요청" in page and "승인" in page and "상태: 대기 → 승인" in page
    assert "status: pending" not in page and ">approved<" not in page


def test_correction_form_errors_are_shown(client, alice):
    client.force_login(alice.user)
    response = client.post(
        reverse("attendance:correction-new"),
        {"date": "2026-11-16", "check_in": "19:00", "check_out": "18:00", "reason": "x"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Correction.objects.exists()


def test_staff_cannot_decide(client, alice, bob, device):
    correction = correction_request(
        employee=alice,
        date=date(2026, 11, 16),
        proposed_in=kst(2026, 11, 16, 9),
        proposed_out=None,
        reason="r",
        by=alice.user,
    )
    client.force_login(bob.user)
    response = client.post(reverse("attendance:correction-decide", args=[correction.pk]), {"decision": "approve"})
    assert response.status_code == 404
    correction.refresh_from_db()
    assert correction.status == "pending"


def test_home_panel_and_nav(client, alice, manager):
    client.force_login(alice.user)
    html = client.get(reverse("portal:home")).content.decode()
    assert reverse("attendance:month") in html and reverse("attendance:check-in") in html
    assert reverse("attendance:team") not in html
    client.force_login(manager.user)
    assert reverse("attendance:team") in client.get(reverse("portal:home")).content.decode()


def test_api_status_and_check_in(client, alice):
    client.force_login(alice.user)
    response = client.post("/api/attendance/me/check-in", {"location": "remote"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["checked_in"] is True
    assert Punch.objects.get().source == "api"
    again = client.post("/api/attendance/me/check-in", {}, content_type="application/json")
    assert again.status_code == 409 and again.json()["message"]
    status = client.get("/api/attendance/me/status").json()
    assert status["location"] == "remote" and status["cap_minutes"] == 52 * 60


def test_api_check_in_and_out_are_audited_with_the_api_source(client, alice):
    from erp.audit.models import AuditEvent, Source

    client.force_login(alice.user)
    assert client.post("/api/attendance/me/check-in", {}, content_type="application/json").status_code == 200
    assert client.post("/api/attendance/me/check-out", content_type="application/json").status_code == 200
    assert set(Punch.objects.values_list("source", flat=True)) == {Source.API}
    punch_events = AuditEvent.objects.filter(
        object_id__in=[str(pk) for pk in Punch.objects.values_list("pk", flat=True)]
    )
    assert punch_events.exists() and set(punch_events.values_list("source", flat=True)) == {Source.API}


def test_requester_cannot_decide_on_the_web(client, alice, manager, admin_employee):
    correction = correction_request(
        employee=alice,
        date=date(2026, 11, 16),
        proposed_in=kst(2026, 11, 16, 9),
        proposed_out=None,
        reason="r",
        by=manager.user,
    )
    client.force_login(manager.user)
    response = client.post(
        reverse("attendance:correction-decide", args=[correction.pk]), {"decision": "approve"}, follow=True
    )
    assert response.status_code == 200
    # The page is in Korean; the message is the four-eyes one (checked in English in test_corrections).
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    correction.refresh_from_db()
    assert correction.status == Correction.Status.PENDING
    detail = client.get(reverse("attendance:correction-detail", args=[correction.pk]))
    assert detail.status_code == 200 and detail.context["can_decide"] is False


def test_correction_form_lists_the_days_punches_by_an_indexable_range(client, alice, admin_employee):
    """Punches from 00:00 KST of the day to 24:00 of the next (a shift may end after midnight),
    filtered on the timestamp itself: no date cast around the indexed column."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from attendance.services import punch_add

    for moment in (kst(2026, 11, 15, 23, 59), kst(2026, 11, 16, 0, 10), kst(2026, 11, 17, 23, 50), kst(2026, 11, 18)):
        punch_add(employee=alice, at=moment, direction="in", by=admin_employee.user)
    client.force_login(alice.user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("attendance:correction-new"), {"date": "2026-11-16"})
    assert [p.at for p in response.context["punches"]] == [kst(2026, 11, 16, 0, 10), kst(2026, 11, 17, 23, 50)]
    ledger = [q["sql"] for q in queries.captured_queries if '"attendance_punch"' in q["sql"] and "ORDER BY" in q["sql"]]
    assert ledger and not any("cast_date" in sql or "AT TIME ZONE" in sql or "::date" in sql for sql in ledger)
