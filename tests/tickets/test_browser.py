"""In a real browser: file a ticket, find it with a Korean search, answer it as an agent."""

import pytest

from tests.browser import log_in, page  # noqa: F401  (the page fixture)
from tickets.models import Category, Ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_file_search_and_answer_a_ticket(page, live_server, people, infra):  # noqa: F811
    category = Category.objects.create(name="사내 시스템", default_group=infra)
    log_in(page, live_server.url, "requester")
    page.goto(live_server.url + "/tickets/new/")
    page.fill("input[name=title]", "사내 메신저 접속 장애")
    page.fill("textarea[name=description]", "아침부터 메신저 로그인이 안 됩니다.")
    page.check("input[name=work_impact][value=blocked]")  # a requester answers one plain question
    # No group picker for a requester: the category routes the ticket (to 인프라팀 here).
    assert page.locator("select[name=group]").count() == 0
    page.select_option("select[name=category]", str(category.pk))
    page.click("form.ticket-form button[type=submit]")
    page.wait_for_selector(".ticket-layout")
    ticket = Ticket.objects.get()
    assert page.url.endswith(f"/tickets/{ticket.number}/") and ticket.group == infra

    page.goto(live_server.url + "/tickets/")
    page.fill("input[name=q]", "장애")
    page.click(".tickets-filters button[type=submit]")
    page.wait_for_selector(f"text={ticket.number}")
    assert page.locator("table.tickets tbody tr").count() == 1

    page.goto(live_server.url + "/accounts/login/")
    page.context.clear_cookies()
    log_in(page, live_server.url, "agent")
    page.goto(live_server.url + ticket.get_absolute_url())
    page.fill(".comment-form textarea[name=body]", "메신저 서버 재시작했습니다. 다시 확인 부탁드립니다.")
    page.click(".comment-form button[type=submit]")
    page.wait_for_selector("text=메신저 서버 재시작했습니다")
    ticket.refresh_from_db()
    assert ticket.first_responded_at is not None
