"""The main flows in a real browser, per role, at desktop and phone width (issue 16, part 7):
check in and out, request and approve a correction, find a ticket by a Korean word through
the queue, act on it from the toolbar (assign to me, status, resolve), write an internal
note, change a status from a list row (htmx, and without JavaScript). axe-core after each step (0
serious/critical), no CSP refusal, screenshots in var/screenshots/."""

from datetime import timedelta

import pytest
from django.utils import timezone

from attendance.models import Punch
from tests.browser import DESKTOP, PHONE, browser, log_in, screenshot, serious_axe_violations  # noqa: F401
from tickets.models import Comment, Ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def checked(page, name, problems):
    page.wait_for_load_state("networkidle")
    screenshot(page, name)
    problems += [f"{name}: axe {finding}" for finding in serious_axe_violations(page)]
    problems += [f"{name}: {refusal}" for refusal in page.csp_refusals]
    page.csp_refusals.clear()


@pytest.mark.parametrize("size_name", ["desktop", "phone"])
def test_main_flows(browser, live_server, people, tickets, size_name):  # noqa: F811
    size = DESKTOP if size_name == "desktop" else PHONE
    problems = []
    url = live_server.url

    # Staff: check in from home, check out, ask for a correction of yesterday.
    page = browser(size)
    log_in(page, url, "yejun")
    page.wait_for_selector(".att-checkin")
    page.click(".att-checkin button[type=submit]")
    page.wait_for_selector("form[action='/attendance/check-out/'] button")
    checked(page, f"flow-{size_name}-1-checked-in", problems)
    page.click("form[action='/attendance/check-out/'] button")
    page.wait_for_selector(".att-checkin")
    assert Punch.objects.filter(direction="out").count() == 1
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    page.goto(f"{url}/attendance/corrections/new/?date={yesterday}")
    page.fill("input[name=check_in]", "09:00")
    page.fill("input[name=check_out]", "18:00")
    page.fill("textarea[name=reason]", "출입카드를 두고 왔습니다.")
    page.click("form button.primary[type=submit]")
    page.wait_for_selector(".message.success")
    checked(page, f"flow-{size_name}-2-correction-sent", problems)
    page.context.close()

    # Manager: approve it from the corrections page (reached from the home's team card).
    page = browser(size)
    log_in(page, url, "hayoon")
    page.wait_for_selector("text=오늘 우리 팀")
    page.click("a[href='/attendance/corrections/']")
    page.click("button[name=decision][value=approve]")
    page.wait_for_selector(".message.success")
    checked(page, f"flow-{size_name}-3-correction-approved", problems)
    page.context.close()

    # Agent: the queue, a Korean search, assign to me from the toolbar, an internal note.
    page = browser(size)
    log_in(page, url, "seoyeon")
    page.goto(f"{url}/tickets/")
    page.click(".view-tab:has-text('미배정')")
    page.wait_for_url("**view=unassigned**")
    page.fill("input[name=q]", "장애")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector(".chip:has-text('장애')")
    rows = page.locator("table.tickets tbody tr")
    assert rows.count() == 2  # VPN 접속 장애, 결제 서버 장애
    checked(page, f"flow-{size_name}-4-queue-search", problems)
    target = Ticket.objects.get(title="VPN 접속 장애")
    page.click(f"a:has-text('{target.number}')")
    page.click(".ticket-toolbar button[value=assign_me]")
    page.wait_for_selector(".message.success")
    target.refresh_from_db()
    assert target.assignee == people["agent"]
    # The same toolbar: a status change with a note, then resolve with the one resolution box.
    page.select_option(".ticket-toolbar select[name=status]", "pending")
    page.fill(".ticket-toolbar textarea[name=reason]", "요청자 회신 대기")
    page.click(".ticket-toolbar button[value=status]")
    page.wait_for_selector(".message.success:has-text('대기 상태로')")
    target.refresh_from_db()
    assert target.status == "pending"
    # htmx followed the redirect: the address is the ticket's (a reload must not re-POST /act/).
    assert page.url.endswith(target.get_absolute_url()), page.url
    checked(page, f"flow-{size_name}-5a-toolbar-status", problems)
    assert page.locator("textarea[name=resolution]").count() == 1
    page.check(".reply-tab.internal input")
    page.fill(".comment-form textarea[name=body]", "장비 교체 검토 중")
    page.click(".comment-form button[type=submit]")
    page.wait_for_selector("text=장비 교체 검토 중")
    assert Comment.objects.get().internal
    checked(page, f"flow-{size_name}-5-ticket-actions", problems)
    page.fill(".ticket-toolbar textarea[name=resolution]", "VPN 프로필을 다시 배포했습니다.")
    page.click(".ticket-toolbar button[value=resolve]")
    page.wait_for_selector(".message.success:has-text('해결')")
    target.refresh_from_db()
    assert target.status == "resolved" and target.resolution == "VPN 프로필을 다시 배포했습니다."
    checked(page, f"flow-{size_name}-5b-toolbar-resolved", problems)

    # A status change from a list row: htmx swaps that row only (the page is not reloaded).
    other = Ticket.objects.get(title="노트북 부팅 불가")
    page.goto(f"{url}/tickets/?view=all")
    page.evaluate("() => { window.notReloaded = true; }")
    row = page.locator(f"#row-{other.number}")
    row.locator(f"select[name=status-{other.number}]").select_option("in_progress")
    row.locator(".row-status button").click()
    page.wait_for_selector(f"#row-{other.number} .row-message.success")
    assert page.evaluate("() => window.notReloaded === true")
    assert page.locator(f"#row-{other.number} .badge.status-in_progress").count() == 1
    other.refresh_from_db()
    assert other.status == "in_progress"
    checked(page, f"flow-{size_name}-6-list-row-status", problems)
    page.context.close()

    # Without JavaScript the same row control is a plain form: POST, back to the list, a message.
    context = page.context.browser.new_context(java_script_enabled=False, viewport=size, locale="ko-KR")
    page = context.new_page()
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", "seoyeon")
    page.fill("input[name=password]", "pw-for-tests-1")
    page.press("input[name=password]", "Enter")  # the first submit button is the <noscript> language one
    page.wait_for_selector(".topbar .whoami")
    page.goto(f"{url}/tickets/?view=all")
    row = page.locator(f"#row-{other.number}")
    row.locator(f"select[name=status-{other.number}]").select_option("pending")
    row.locator(".row-status button").click()
    page.wait_for_selector(".message.success")
    assert "view=all" in page.url
    other.refresh_from_db()
    assert other.status == "pending"
    context.close()

    assert not problems, "\n".join(problems)


def test_attendance_check_in_is_at_the_top_on_phones(browser, live_server, people):  # noqa: F811
    """At 390 px the check-in button is on the first screen, above the month navigation."""
    page = browser(PHONE)
    log_in(page, live_server.url, "yejun")
    page.wait_for_selector("main")
    page.goto(f"{live_server.url}/attendance/")
    button = page.locator(".att-checkin button[type=submit]").bounding_box()
    month_nav = page.locator(".att-month-nav").bounding_box()
    assert button["y"] + button["height"] <= PHONE["height"] / 2, button
    assert button["y"] < month_nav["y"]
    screenshot(page, "phone-attendance-check-in-on-top")
    problems = [f"axe {finding}" for finding in serious_axe_violations(page)] + page.csp_refusals
    assert not problems, "\n".join(problems)
