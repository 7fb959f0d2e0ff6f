"""Login throttling (security review L4): django-axes locks a user name + address pair out
after AXES_FAILURE_LIMIT wrong passwords, on the portal and the admin login alike; an admin
unlocks; the cool-off ends by itself. Real form posts through the whole middleware stack."""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-42"


@pytest.fixture
def dain(db):
    return get_user_model().objects.create_user("dain.seo", password=PASSWORD)


@pytest.fixture
def admin_user(db):
    return get_user_model().objects.create_superuser("boss", password="boss-pass-99")


def attempt(client, username, password, *, ip="10.0.0.7", url="/accounts/login/"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip)


def fail(client, username, times, **kwargs):
    for _ in range(times):
        response = attempt(client, username, "wrong-password", **kwargs)
        assert response.status_code == 200  # the form again, with its error


def lock_out(client, username, limit, **kwargs):
    """``limit`` wrong passwords: the last one already answers with the lockout page."""
    fail(client, username, limit - 1, **kwargs)
    assert attempt(client, username, "wrong-password", **kwargs).status_code == 429


def test_the_limit_locks_the_pair_with_a_korean_page(client, dain, settings):
    settings.AXES_FAILURE_LIMIT = 5
    fail(client, "dain.seo", 4)
    response = attempt(client, "dain.seo", "wrong-password")
    assert response.status_code == 429
    page = response.content.decode()
    assert "로그인이 잠시 잠겼습니다" in page and "15분" in page
    # Locked: even the right password is refused now, and no session is created.
    response = attempt(client, "dain.seo", PASSWORD)
    assert response.status_code == 429 and "_auth_user_id" not in client.session


def test_the_lockout_page_in_english(client, dain, settings):
    settings.AXES_FAILURE_LIMIT = 2
    fail(client, "dain.seo", 1)
    response = client.post(
        "/accounts/login/",
        {"username": "dain.seo", "password": "nope"},
        REMOTE_ADDR="10.0.0.7",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 429 and "Login temporarily locked" in response.content.decode()


def test_other_users_and_other_addresses_are_not_locked(client, dain, admin_user, settings):
    settings.AXES_FAILURE_LIMIT = 3
    lock_out(client, "dain.seo", 3)
    assert attempt(client, "dain.seo", PASSWORD).status_code == 429
    assert attempt(Client(), "dain.seo", PASSWORD, ip="10.0.0.8").status_code == 302  # same user, elsewhere
    assert attempt(Client(), "boss", "boss-pass-99").status_code == 302  # same address, another user


def test_the_admin_login_is_throttled_too(client, admin_user, settings):
    settings.AXES_FAILURE_LIMIT = 3
    lock_out(client, "boss", 3, url="/admin/login/")
    assert attempt(client, "boss", "boss-pass-99", url="/admin/login/").status_code == 429


def test_an_admin_unlocks_from_the_admin(client, dain, admin_user, settings):
    settings.AXES_FAILURE_LIMIT = 3
    lock_out(client, "dain.seo", 3)
    assert AccessAttempt.objects.filter(username="dain.seo").exists()
    boss = Client()
    boss.force_login(admin_user)
    changelist = "/admin/axes/accessattempt/"
    assert boss.get(changelist).status_code == 200
    ids = list(AccessAttempt.objects.filter(username="dain.seo").values_list("pk", flat=True))
    response = boss.post(changelist, {"action": "delete_selected", "_selected_action": ids, "post": "yes"})
    assert response.status_code == 302
    assert attempt(client, "dain.seo", PASSWORD).status_code == 302


def test_the_cool_off_ends_by_itself(client, dain, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    lock_out(client, "dain.seo", 3)
    assert attempt(client, "dain.seo", PASSWORD).status_code == 429
    with time_machine.travel(timezone.now() + timedelta(minutes=16), tick=False):
        assert attempt(Client(), "dain.seo", PASSWORD).status_code == 302


def test_a_success_resets_the_count(client, dain, settings):
    settings.AXES_FAILURE_LIMIT = 3
    fail(client, "dain.seo", 2)
    assert attempt(client, "dain.seo", PASSWORD).status_code == 302
    client.logout()
    fail(client, "dain.seo", 2)
    assert attempt(client, "dain.seo", PASSWORD).status_code == 302


def test_behind_a_proxy_the_configured_header_names_the_address(client, dain, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.LOGIN_CLIENT_IP_HEADER = "X-Forwarded-For"
    for _ in range(2):
        client.post(
            "/accounts/login/",
            {"username": "dain.seo", "password": "x"},
            REMOTE_ADDR="10.9.9.9",
            HTTP_X_FORWARDED_FOR="spoofed, 203.0.113.5",
        )
    assert AccessAttempt.objects.get().ip_address == "203.0.113.5"
    # Another visitor behind the same proxy is not locked.
    response = Client().post(
        "/accounts/login/",
        {"username": "dain.seo", "password": PASSWORD},
        REMOTE_ADDR="10.9.9.9",
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )
    assert response.status_code == 302


def test_the_test_clients_login_helper_keeps_working(client, dain):
    """authenticate() without a request (Client.login, scripts) is not an HTTP attempt."""
    assert client.login(username="dain.seo", password=PASSWORD)
    assert not client.login(username="dain.seo", password="wrong")
    assert not AccessAttempt.objects.exists()
