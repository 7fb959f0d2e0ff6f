"""Playwright on Debian's chromium for browser tests (a downloaded browser won't install here)."""

import os
import shutil

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
