"""In a real browser (chromium): the booking form's live conflict check through htmx."""

import pytest

from tests.browser import browser, log_in  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_live_check_swaps_the_verdict_in_without_a_reload(browser, live_server, book, rooms):  # noqa: F811
    book(title="예산 회의")
    page = browser()
    log_in(page, live_server.url, "sora")
    page.wait_for_selector("main")
    page.goto(f"{live_server.url}/meetings/book/?room={rooms['hangang'].pk}&start=2026-12-03T14:00")
    # The prefilled slot is checked on load: taken, with the nearest free time as a link.
    page.wait_for_selector("#slot-feedback .mt-feedback.bad")
    assert "예산 회의" in page.inner_text("#slot-feedback")
    assert page.locator("#slot-feedback .mt-suggest a").count() >= 1
    page.evaluate("() => { window.stillHere = true; }")  # gone after a full page load
    page.fill("#id_start_time", "15:00")
    page.fill("#id_end_time", "16:00")
    page.wait_for_selector("#slot-feedback .mt-feedback.ok")
    assert page.evaluate("() => window.stillHere") is True
    assert page.csp_refusals == []
