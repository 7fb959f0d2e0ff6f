import pytest

from erp.people.models import Role
from tests.browser import log_in
from tests.factories import make_department, make_employee

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_see_home_and_switch_language(page, live_server):
    make_employee("seoyeon", role=Role.AGENT, department=make_department(), display_name="이서연")

    page.goto(live_server.url + "/")
    assert "로그인" in page.content()
    log_in(page, live_server.url, "seoyeon")
    page.wait_for_selector("text=이서연 님, 안녕하세요")
    assert page.locator("h2", has_text="회사 달력").is_visible()

    page.select_option("#language", "en")
    page.wait_for_selector("text=Hello, 이서연")
    assert page.locator("h2", has_text="Company calendar").is_visible()

    page.click("text=Log out")
    page.wait_for_selector("input[name=username]")
