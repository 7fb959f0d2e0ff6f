"""In a real browser: request a half day, see it pending with the balance, the manager approves,
the person's attendance month and the team calendar show it."""

import pytest

from leave.models import LeaveRequest
from tests.browser import log_in

from .conftest import kind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_request_approve_and_see_it_on_the_calendars(page, live_server, team, tmp_path, seeded_business_hours):
    half = kind("half_am")
    log_in(page, live_server.url, "seoyeon")
    page.goto(live_server.url + "/leave/new/")
    page.select_option("#id_leave_type", str(half.pk))
    page.fill("#id_start_date", "2026-12-07")
    page.fill("#id_reason", "병원 진료")
    page.click("form button[type=submit].primary")
    page.wait_for_selector(".leave-pending")
    assert "잔여" in page.content()
    leave = LeaveRequest.objects.get()
    assert (leave.part, str(leave.days)) == ("am", "0.50")

    page.context.clear_cookies()
    log_in(page, live_server.url, "minjun")
    page.goto(live_server.url + "/leave/approvals/")
    page.fill(f"#note-{leave.pk}", "쾌차하세요")
    page.click(f"form[action='/leave/{leave.pk}/decide/'] button[value=approve]")
    page.wait_for_selector(".message")
    leave.refresh_from_db()
    assert leave.status == "approved" and leave.decision_note == "쾌차하세요"

    page.goto(live_server.url + f"/attendance/people/{team['alice'].pk}/?month=2026-12")
    assert page.locator(".leave-part").first.inner_text() == "반차(오전) · 오전"
    page.screenshot(path=str(tmp_path / "month.png"), full_page=True)
    page.goto(live_server.url + "/leave/calendar/?month=2026-12")
    assert "이서연" in page.content() and page.locator(".leave-day").count() == 1
