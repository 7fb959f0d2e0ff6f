"""Session lifetime as an admin setting (issue 15): idle timeout and longest session from
SecuritySettings, applied by erp.core.session_lifetime.SessionLifetimeMiddleware. The clock is
moved with time-machine; logins are real form posts."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages

from erp.audit.models import AuditEvent
from erp.core.models import SecuritySettings
from erp.workcalendar.calendar import KST
from tests.admin_pages import form_data

pytestmark = pytest.mark.django_db

START = datetime(2026, 12, 2, 9, 0, tzinfo=KST)
PASSWORD = "session-pass-77"


@pytest.fixture
def user(db):
    return get_user_model().objects.create_user("dain.seo", password=PASSWORD)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def log_in(client):
    response = client.post("/accounts/login/", {"username": "dain.seo", "password": PASSWORD})
    assert response.status_code == 302


def signed_in(client) -> bool:
    return client.get("/tickets/").status_code == 200


def test_idle_timeout_logs_out_with_a_message(client, user, clock):
    SecuritySettings.objects.create(session_idle_minutes=30, session_max_hours=0)
    log_in(client)
    clock.shift(timedelta(minutes=29))
    assert signed_in(client)
    clock.shift(timedelta(minutes=29))  # 29 minutes since the last request: still fine
    assert signed_in(client)
    clock.shift(timedelta(minutes=31))
    response = client.get("/tickets/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert texts == ["오랫동안 사용하지 않아 로그아웃되었습니다. 다시 로그인하세요."]
    assert "_auth_user_id" not in client.session


def test_longest_session_ends_an_active_session(client, user, clock):
    SecuritySettings.objects.create(session_idle_minutes=60, session_max_hours=8)
    log_in(client)
    for _ in range(15):  # active every 30 minutes for 7.5 hours
        clock.shift(timedelta(minutes=30))
        assert signed_in(client)
    clock.shift(timedelta(minutes=31))
    assert not signed_in(client)


def test_a_new_login_starts_a_new_session_clock(client, user, clock):
    SecuritySettings.objects.create(session_idle_minutes=0, session_max_hours=1)
    log_in(client)
    clock.shift(timedelta(minutes=61))
    assert not signed_in(client)
    log_in(client)
    assert signed_in(client)


def test_zero_switches_the_limits_off(client, user, clock, settings):
    """0 and 0: only the deployment's SESSION_COOKIE_AGE (idle time) is left."""
    SecuritySettings.objects.create(session_idle_minutes=0, session_max_hours=0)
    settings.SESSION_COOKIE_AGE = 14 * 24 * 3600
    log_in(client)
    for _ in range(3):
        clock.shift(timedelta(days=3))
        assert signed_in(client)


def test_the_stored_session_expires_with_the_idle_limit(client, user, clock):
    """So abandoned sessions are pruned by clearsessions (after a grace period in which a
    returning user is still told why they were logged out)."""
    SecuritySettings.objects.create(session_idle_minutes=30, session_max_hours=12)
    log_in(client)
    assert signed_in(client)
    assert client.session.get_expiry_age() == 30 * 60 + 12 * 3600  # + the grace for the message


def test_defaults_without_a_row(client, user, clock):
    """No row: 120 idle minutes, 12 hours at most."""
    log_in(client)
    clock.shift(timedelta(minutes=119))
    assert signed_in(client)
    clock.shift(timedelta(minutes=121))
    assert not signed_in(client)


def test_the_api_session_ends_too(client, user, clock):
    SecuritySettings.objects.create(session_idle_minutes=10, session_max_hours=0)
    log_in(client)
    assert client.get("/api/tickets/").status_code == 200
    clock.shift(timedelta(minutes=11))
    assert client.get("/api/tickets/").status_code == 403


def test_an_admin_changes_it_and_it_applies_at_once(client, user, clock):
    boss = get_user_model().objects.create_superuser("boss", password="boss-pass-99")
    admin = client.__class__()
    admin.force_login(boss)
    url = "/admin/core/securitysettings/add/"
    response = admin.post(url, {**form_data(admin.get(url)), "session_idle_minutes": 5, "session_max_hours": 12})
    assert response.status_code == 302, response.content[:500]
    assert AuditEvent.objects.filter(action="created", content_type__model="securitysettings").exists()
    log_in(client)
    clock.shift(timedelta(minutes=6))
    assert not signed_in(client)
    row = SecuritySettings.objects.get()
    admin.force_login(boss)  # the admin's own session ended with the 5 minutes too
    url = f"/admin/core/securitysettings/{row.pk}/change/"
    response = admin.post(url, {**form_data(admin.get(url)), "session_idle_minutes": 60})
    assert response.status_code == 302
    event = AuditEvent.objects.filter(action="updated", content_type__model="securitysettings").get()
    assert event.changes == {"session_idle_minutes": [5, 60]}
    log_in(client)
    clock.shift(timedelta(minutes=30))
    assert signed_in(client)
