"""In a real browser: check in from home on the web, see the status, check out."""

import pytest

from attendance.models import Punch
from tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_check_in_remote_and_out_from_my_month(page, live_server, alice):
    log_in(page, live_server.url, alice.user.username)
    page.goto(live_server.url + "/attendance/")
    page.select_option("#att-location", "remote")
    page.click(".att-checkin button[type=submit]")
    page.wait_for_selector("form[action='/attendance/check-out/'] button")
    assert page.locator(".att-status .att-loc-remote").is_visible()
    punch = Punch.objects.get()
    assert (punch.source, punch.location, punch.direction) == ("web", "remote", "in")
    page.click("form[action='/attendance/check-out/'] button")
    page.wait_for_selector(".att-checkin")
    assert Punch.objects.filter(direction="out").count() == 1


def test_client_site_without_place_shows_an_error(page, live_server, alice):
    log_in(page, live_server.url, alice.user.username)
    page.goto(live_server.url + "/attendance/")
    page.select_option("#att-location", "client")
    page.click(".att-checkin button[type=submit]")
    page.wait_for_selector(".message.error")
    assert not Punch.objects.exists()
