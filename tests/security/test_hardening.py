"""L4, L5, L9, L10: throttling, schema and health for anonymous callers, demo seeding, sessions."""

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/api/schema/", "/api/docs/"])
def test_schema_and_docs_are_for_signed_in_users(client, django_user_model, url):
    assert client.get(url).status_code in (401, 403)
    client.force_login(django_user_model.objects.create_user("reader", password="x"))
    assert client.get(url).status_code == 200


def test_the_api_answers_429_over_the_rate(client, django_user_model, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    # DRF reads the rates once, at import: patch them where the throttles look.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "5/minute"})
    cache.clear()
    client.force_login(django_user_model.objects.create_user("burst", password="x"))
    codes = [client.get("/api/tickets/").status_code for _ in range(8)]
    assert codes[:5] == [200] * 5 and set(codes[5:]) == {429}
    assert client.get("/api/tickets/").has_header("Retry-After")
    cache.clear()


def test_seed_demo_refuses_production_settings(settings):
    settings.HARU_PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo")


def test_sessions_last_a_working_day():
    assert django_settings.SESSION_COOKIE_AGE == 12 * 3600
