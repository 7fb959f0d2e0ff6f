"""The main flows in a real browser, per role, at desktop and phone width (issue 16, part 7):
check in and out, request and approve a correction, find a ticket by a Korean word through
the queue, act on it from the toolbar, write an internal note. axe-core after each step (0
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
    page.click(".ticket-toolbar button")
    page.wait_for_selector(".message.success")
    target.refresh_from_db()
    assert target.assignee == people["agent"]
    page.check(".reply-tab.internal input")
    page.fill(".comment-form textarea[name=body]", "장비 교체 검토 중")
    page.click(".comment-form button[type=submit]")
    page.wait_for_selector("text=장비 교체 검토 중")
    assert Comment.objects.get().internal
    checked(page, f"flow-{size_name}-5-ticket-actions", problems)
    page.context.close()

    assert not problems, "\n".join(problems)
