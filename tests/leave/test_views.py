"""Portal pages: my leave with the balance, a request (form errors), approvals, the team
calendar, the attendance month and team views showing leave, the payroll export, the API."""

from datetime import timedelta

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from attendance.models import DayState, Direction, WorkDay
from attendance.services import punch_add
from erp.audit.actor import Actor
from erp.people.models import Role
from leave.models import LeaveRequest
from leave.services import leave_approve, leave_request

from .conftest import MONDAY, kind, make_employee

pytestmark = pytest.mark.django_db


def ask(employee, code="annual", first=MONDAY, last=None, part="full", reason="가족 여행"):
    return leave_request(
        employee=employee,
        leave_type=kind(code),
        start_date=first,
        end_date=last or first,
        part=part,
        reason=reason,
        by=Actor(user=employee.user),
    )


def test_my_leave_shows_the_balance_and_my_requests(client, team):
    ask(team["alice"])
    client.force_login(team["alice"].user)
    html = client.get(reverse("leave:mine")).content.decode()
    assert "연차" in html and "2026-07-01" in html and "17일" in html  # granted this leave year
    assert "대기" in html or "승인 대기" in html


def test_a_request_from_the_form_and_an_overlap_as_a_form_error(client, team):
    client.force_login(team["alice"].user)
    data = {
        "leave_type": kind("annual").pk,
        "start_date": "2026-12-07",
        "end_date": "2026-12-08",
        "reason": "가족 여행",
    }
    response = client.post(reverse("leave:new"), data)
    assert response.status_code == 302
    assert LeaveRequest.objects.get().days == 2
    response = client.post(reverse("leave:new"), {**data, "start_date": "2026-12-08", "end_date": "2026-12-09"})
    assert response.status_code == 200
    errors = response.context["form"].errors["start_date"][0]
    assert "12월 7일 (월)" in errors and LeaveRequest.objects.count() == 1
    # Garbage is a form error too, never a 500.
    response = client.post(reverse("leave:new"), {**data, "start_date": "0001-01-01", "leave_type": "x"})
    assert response.status_code == 200 and response.context["form"].errors


def test_the_manager_decides_in_the_portal_with_a_comment(client, team):
    leave = ask(team["alice"])
    client.force_login(team["manager"].user)
    page = client.get(reverse("leave:approvals"))
    assert page.status_code == 200 and "이서연" in page.content.decode()
    response = client.post(reverse("leave:decide", args=[leave.pk]), {"decision": "approve", "note": "확인했습니다"})
    assert response.status_code == 302
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.APPROVED and leave.decision_note == "확인했습니다"


def test_staff_and_other_managers_cannot_decide(client, team):
    leave = ask(team["alice"])
    client.force_login(team["bob"].user)
    assert client.get(reverse("leave:approvals")).status_code == 403
    client.post(reverse("leave:decide", args=[leave.pk]), {"decision": "approve"})
    client.force_login(team["other"].user)
    assert client.get(reverse("leave:detail", args=[leave.pk])).status_code == 404
    assert client.post(reverse("leave:decide", args=[leave.pk]), {"decision": "approve"}).status_code == 404
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.PENDING


def test_cancel_from_the_detail_page(client, team):
    leave = ask(team["alice"])
    leave_approve(request=leave, by=team["manager"].user)
    client.force_login(team["alice"].user)
    assert "취소" in client.get(reverse("leave:detail", args=[leave.pk])).content.decode()
    client.post(reverse("leave:cancel", args=[leave.pk]))
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.CANCELLED


def test_the_team_calendar_hides_the_kind_from_colleagues(client, team):
    leave = ask(team["alice"], "sick", reason="독감")
    leave_approve(request=leave, by=team["manager"].user)
    client.force_login(team["manager"].user)
    html = client.get(reverse("leave:calendar"), {"month": "2026-12"}).content.decode()
    assert "이서연" in html and "병가" in html
    client.force_login(team["bob"].user)
    html = client.get(reverse("leave:calendar"), {"month": "2026-12"}).content.decode()
    assert "이서연" in html and "병가" not in html and "휴가" in html
    client.force_login(team["other"].user)  # another department
    assert "이서연" not in client.get(reverse("leave:calendar"), {"month": "2026-12"}).content.decode()


def test_approval_marks_the_work_days_and_the_month_view_shows_leave(client, team):
    alice = team["alice"]
    full = ask(alice, first=MONDAY, last=MONDAY + timedelta(days=1))
    half = ask(alice, "half_am", first=MONDAY + timedelta(days=2))
    leave_approve(request=full, by=team["manager"].user)
    leave_approve(request=half, by=team["manager"].user)
    days = WorkDay.objects.filter(employee=alice).order_by("date")
    assert [(d.date, d.on_leave, d.state) for d in days] == [
        (MONDAY, True, DayState.LEAVE),
        (MONDAY + timedelta(days=1), True, DayState.LEAVE),
    ]  # a half day changes no work day
    client.force_login(alice.user)
    html = client.get(reverse("attendance:month"), {"month": "2026-12"}).content.decode()
    assert html.count("leave-day") == 3 and "반차(오전) · 오전" in html
    assert "연차" in html and "잔여" in html  # the balance card on the person's page


def test_no_missing_check_in_on_a_full_day_of_leave(team):
    alice = team["alice"]
    leave = ask(alice, first=MONDAY - timedelta(days=7))  # Mon 30 November, in the past
    leave_approve(request=leave, by=team["hr"].user)
    # A reader punch on the way out (only a check-out) on that day of leave.
    day = leave.start_date
    from datetime import datetime

    from erp.workcalendar.calendar import KST

    punch_add(employee=alice, at=datetime(2026, 11, 30, 15, 0, tzinfo=KST), direction=Direction.OUT, by=Actor.system())
    work_day = WorkDay.objects.get(employee=alice, date=day)
    assert work_day.state == DayState.LEAVE


def test_cancelling_approved_leave_clears_the_work_days(team):
    leave = ask(team["alice"])
    leave_approve(request=leave, by=team["manager"].user)
    from leave.services import leave_cancel

    leave_cancel(request=leave, by=team["alice"].user)
    assert not WorkDay.objects.filter(employee=team["alice"], on_leave=True).exists()


def test_the_attendance_team_view_shows_the_kind_of_leave(client, team):
    leave = ask(team["alice"], "half_pm", first=MONDAY)
    leave_approve(request=leave, by=team["manager"].user)
    client.force_login(team["manager"].user)
    html = client.get(reverse("attendance:team"), {"date": "2026-12-07"}).content.decode()
    assert "반차(오후) · 오후" in html


def test_the_payroll_export(client, team):
    across = ask(team["alice"], first=MONDAY + timedelta(days=21), last=MONDAY + timedelta(days=29))  # 28 Dec → 5 Jan
    leave_approve(request=across, by=team["manager"].user)
    pending = ask(team["bob"], "sick", reason="독감")
    assert pending.status == "pending"
    client.force_login(team["manager"].user)
    assert client.get(reverse("leave:export")).status_code == 403
    client.force_login(team["hr"].user)
    response = client.get(reverse("leave:export"), {"month": "2026-12"})
    body = response.content
    assert response.status_code == 200 and body.startswith("\ufeff".encode())
    lines = body.decode("utf-8-sig").splitlines()
    assert len(lines) == 2  # the header and the one approved leave; pending leave is not paid out
    assert "이서연" in lines[1] and "2026-12-28" in lines[1] and lines[1].endswith(",4.0")  # 28–31 Dec
    january = client.get(reverse("leave:export"), {"month": "2027-01"}).content.decode("utf-8-sig").splitlines()
    assert january[1].endswith(",2.0")  # 1 January is a holiday: 4 and 5 January
    cp949 = client.get(reverse("leave:export"), {"month": "2026-12", "encoding": "cp949"})
    assert "이서연" in cp949.content.decode("cp949")
    assert client.get(reverse("leave:export"), {"encoding": "latin-9"}).status_code == 400


def test_the_api_lists_and_creates_my_own_requests(team):
    api = APIClient()
    api.force_authenticate(team["alice"].user)
    ask(team["bob"])
    response = api.post(
        "/api/leave/requests/",
        {"leave_type": "half_am", "start_date": "2026-12-07", "reason": "병원"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["days"] == "0.50" and response.json()["part"] == "am"
    listing = api.get("/api/leave/requests/").json()
    assert [row["id"] for row in listing["results"]] == [response.json()["id"]]  # not Bob's
    clash = api.post(
        "/api/leave/requests/", {"leave_type": "annual", "start_date": "2026-12-07", "reason": "x"}, format="json"
    )
    assert clash.status_code == 400 and "12월 7일 (월)" in str(clash.json())
    # A code PostgreSQL cannot store (NUL) is an unknown leave type, not a database error.
    nul = api.post(
        "/api/leave/requests/", {"leave_type": "ann\x00ual", "start_date": "2026-12-08", "reason": "x"}, format="json"
    )
    assert nul.status_code == 400 and "leave_type" in nul.json()["errors"]
    assert api.get("/api/leave/types/").status_code == 200


def test_a_login_without_employee_gets_a_403_not_a_500(client, db):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("bare", password="pw-for-tests-1")
    client.force_login(user)
    assert client.get(reverse("leave:mine")).status_code == 403
    assert client.get(reverse("leave:new")).status_code == 403
    make_employee("x1", "홍길동", department=None, role=Role.STAFF)
