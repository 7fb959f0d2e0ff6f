"""In a real browser (chromium): the booking form's live conflict check through htmx, and
every meetings page at phone width (390 px)."""

import pytest

from erp.audit.actor import Actor
from meetings.services import series_create
from tests.browser import PHONE, browser, log_in, no_sideways_scroll, screenshot, serious_axe_violations  # noqa: F401

from .conftest import kst, thursday

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("seeded_business_hours"),
]


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


def test_meetings_pages_at_390_px(browser, live_server, book, rooms, people):  # noqa: F811
    """Phone width: nothing scrolls sideways (wide tables scroll inside their box), 0 serious or
    critical axe-core findings, no CSP refusal; a screenshot of each page."""
    booking = book(title="예산 회의", attendees=[people["attendee"]])
    book(room="jeju", title="인사 면담", is_private=True)
    # Today (the clock: Wednesday 10:00), for the home page's meetings card.
    book(room="small", start=kst(2026, 12, 2, 10, 30), end=kst(2026, 12, 2, 11, 30), title="오늘 1:1 면담")
    series = series_create(
        room=rooms["bukhan"], title="주간 스탠드업", organizer=people["organizer"], rrule="FREQ=WEEKLY;COUNT=3",
        first_start=thursday(9, 30), duration_minutes=30, by=Actor(user=people["organizer"].user),
    )  # fmt: skip
    urls = [
        "/",  # the home page's "today's meetings" card (meetings/widget.py)
        "/meetings/?day=2026-12-03",
        "/meetings/?day=2026-12-03&view=week",
        f"/meetings/book/?room={rooms['hangang'].pk}&start=2026-12-03T14:00",
        "/meetings/mine/",
        f"/meetings/rooms/{rooms['hangang'].pk}/?day=2026-12-03",
        f"/meetings/bookings/{booking.pk}/",
        "/meetings/series/new/",
        f"/meetings/series/{series.pk}/",
    ]
    page = browser(PHONE)
    log_in(page, live_server.url, "minji")
    page.wait_for_selector("main")
    problems = []
    for url in urls:
        page.goto(live_server.url + url)
        page.wait_for_load_state("networkidle")
        if url == "/":
            assert "오늘 1:1 면담" in page.inner_text("main")
        slug = "".join(c if c.isalnum() else "-" for c in url.strip("/").split("&start")[0]) or "home"
        screenshot(page, f"phone-{slug}")
        checks = [f"axe {finding}" for finding in serious_axe_violations(page)]
        if not no_sideways_scroll(page):
            checks.append("scrolls sideways")
        checks += page.csp_refusals
        page.csp_refusals.clear()
        problems += [f"{url}: {check}" for check in checks]
    assert not problems, "\n".join(problems)
