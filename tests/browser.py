"""Playwright on Debian's chromium for browser tests (a downloaded browser won't install here)."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture
def page(live_server):
    """A fresh browser page; the test module drives ``live_server.url``."""
    if not shutil.which(CHROMIUM):
        pytest.skip(f"chromium not installed at {CHROMIUM} (CI installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # around it are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="ko-KR", timezone_id="Asia/Seoul")
        yield context.new_page()
        context.close()
        browser.close()
    # ORM calls made while Playwright's loop ran got their own connections; close them so
    # the test database can be dropped at the end of the run.
    from django.db import connections

    connections.close_all()


def log_in(page, base_url, username, password="pw-for-tests-1"):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


# ---- Pages at a chosen size, with axe-core and a record of CSP refusals (issue 16) ------------

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "tests/vendor/axe-core/axe.min.js"
# Screenshots of the browser walks, kept by CI as artefacts (README: "Browser tests").
SCREENSHOTS = Path(os.environ.get("HARU_SCREENSHOTS", ROOT / "var/screenshots"))
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def browser(live_server):
    """``browser(size)`` opens a page of that viewport; ``page.csp_refusals`` lists what the
    Content-Security-Policy blocked. axe-core is injected as an init script (through the
    DevTools protocol, so the page's CSP does not apply to it)."""
    if not shutil.which(CHROMIUM):
        pytest.skip(f"chromium not installed at {CHROMIUM} (CI installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        contexts = []

        def open_page(size=DESKTOP, *, locale="ko-KR"):
            context = chromium.new_context(
                locale=locale, timezone_id="Asia/Seoul", viewport=size, is_mobile=size["width"] < 600
            )
            context.add_init_script(path=str(AXE))
            contexts.append(context)
            new_page = context.new_page()
            new_page.csp_refusals = []
            new_page.on(
                "console",
                lambda message: (
                    "Content Security Policy" in message.text and new_page.csp_refusals.append(message.text)
                ),
            )
            return new_page

        yield open_page
        for context in contexts:
            context.close()
        chromium.close()
    from django.db import connections

    connections.close_all()


def serious_axe_violations(page) -> list[str]:
    """axe-core's serious and critical WCAG 2.1 A/AA findings on the current page."""
    result = page.evaluate(
        "async () => (await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}))"
        ".violations.filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))"
    )
    return result


def no_sideways_scroll(page) -> bool:
    """Nothing wider than the viewport (a mobile browser would zoom out or scroll sideways)."""
    width = page.evaluate("() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
    return width <= page.viewport_size["width"] + 1


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
