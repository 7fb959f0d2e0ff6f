"""In a real browser, per role, desktop and phone: no CSP refusal, 0 serious/critical axe-core
findings, nothing scrolls sideways; a screenshot of each page (var/screenshots/, CI artefacts)."""

import pytest

from tests.browser import DESKTOP, PHONE, browser, log_in, no_sideways_scroll, screenshot, serious_axe_violations  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {
    "yejun": ["/", "/tickets/", "/tickets/new/", "/attendance/"],
    "seoyeon": ["/", "/tickets/", "/search/?q=VPN"],
    "hayoon": ["/", "/attendance/team/", "/attendance/corrections/"],
    "admin_user": ["/", "/admin/", "/api/docs/"],
}


@pytest.mark.parametrize("size_name", ["desktop", "phone"])
def test_main_pages_per_role(browser, live_server, people, tickets, size_name):  # noqa: F811
    size = DESKTOP if size_name == "desktop" else PHONE
    problems = []
    for username, urls in PAGES.items():
        page = browser(size)
        log_in(page, live_server.url, username)
        page.wait_for_selector("main")
        for url in urls + [tickets[0].get_absolute_url()]:
            page.goto(live_server.url + url)
            page.wait_for_load_state("networkidle")
            slug = url.strip("/").replace("/", "-").replace("?", "-").replace("=", "-") or "home"
            screenshot(page, f"{size_name}-{username}-{slug}")
            if url.startswith("/admin/") or url.startswith("/api/"):
                checks = []  # Django admin's and Swagger UI's own markup: CSP only
            else:
                checks = [f"axe {finding}" for finding in serious_axe_violations(page)]
                if size_name == "phone" and not no_sideways_scroll(page):
                    checks.append("scrolls sideways")
            checks += page.csp_refusals
            page.csp_refusals.clear()
            problems += [f"{username} {url}: {check}" for check in checks]
        page.context.close()
    assert not problems, "\n".join(problems)
