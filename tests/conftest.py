"""Project-wide fixtures.

The suite runs on SQLite by default and on PostgreSQL when DATABASE_URL points there
(CI always does). Tests marked ``postgres`` need PostgreSQL-only features and are
skipped, with the reason, on SQLite.

``HARU_TEST_NOW`` (an ISO moment with its offset, e.g. ``2026-12-05T23:30:00+09:00``)
runs the whole suite with the clock travelled there, to catch tests that depend on the
wall clock: CI runs the suite once on the real clock and once at a KST weekend night.
"""

import os
from datetime import datetime

import pytest
import time_machine
from django.conf import settings

from erp.workcalendar.calendar import KST
from integrations.slack.core.blocks import shows
from integrations.slack.core.privacy.classes import PUBLIC
from tests.browser import page  # noqa: F401  (the Playwright page fixture, for every test module)
from tests.fakes.slack_api import FakeSlackAPI

SLACK_TEST_TOKEN = "xoxb-test-token"


def _database_engine() -> str:
    return settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]


TEST_NOW_VARIABLE = "HARU_TEST_NOW"


def _test_now() -> datetime | None:
    """The moment ``HARU_TEST_NOW`` names, or None for the real clock."""
    value = os.environ.get(TEST_NOW_VARIABLE, "").strip()
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise pytest.UsageError(f"{TEST_NOW_VARIABLE}={value!r} is not an ISO 8601 moment")
    if moment.utcoffset() is None:
        raise pytest.UsageError(f"{TEST_NOW_VARIABLE}={value!r} needs an offset, e.g. +09:00 for KST")
    return moment


TEST_NOW = _test_now()
# Started once, at session start, so session fixtures (migrations, the live server's
# thread) see the travelled clock too; time-machine patches the process, every thread.
_session_travel = time_machine.travel(TEST_NOW, tick=True) if TEST_NOW else None
_traveller = None


def pytest_sessionstart(session):
    global _traveller
    if _session_travel is not None:
        _traveller = _session_travel.start()


def pytest_sessionfinish(session, exitstatus):
    global _traveller
    if _traveller is not None:
        _session_travel.stop()
        _traveller = None


def pytest_report_header(config):
    db = settings.DATABASES["default"]
    where = f"{db.get('HOST') or 'local'}:{db.get('PORT') or ''}/{db.get('NAME')}"
    if TEST_NOW is None:
        clock = f"real (set {TEST_NOW_VARIABLE} to run at another moment)"
    else:
        kst = TEST_NOW.astimezone(KST)
        clock = f"{kst:%Y-%m-%d %H:%M} KST ({kst:%a}) from {TEST_NOW_VARIABLE}, reset before each test, ticking"
    return [
        f"database: {_database_engine()} ({where})",
        f"celery broker: {settings.CELERY_BROKER_URL.split('@')[-1]}",
        f"clock: {clock}",
    ]


def pytest_collection_modifyitems(config, items):
    if _database_engine() == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL; CI always runs these)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """pytest-django's, plus: the side-by-side threads' connections (erp.core.fanout) closed
    before the test database is dropped, which PostgreSQL refuses while anyone is connected."""
    yield
    from erp.core.fanout import close_connections

    close_connections()


@pytest.fixture(autouse=True)
def _travelled_clock():
    """Under HARU_TEST_NOW every test starts at that very moment (and its clock ticks on).

    Declared first so that the other function fixtures see the moment too. A test that
    pins the clock itself still wins: a patched ``timezone.now`` replaces the function,
    and its own ``time_machine`` travel stacks on top of this one until it stops.
    """
    if _traveller is not None:
        _traveller.move_to(TEST_NOW)
    return TEST_NOW


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_security_settings():
    """The same for the per-process SecuritySettings copy (session lifetime)."""
    from erp.core.session_lifetime import forget_cached_settings

    forget_cached_settings()
    yield
    forget_cached_settings()


@pytest.fixture(autouse=True)
def _fresh_company_calendar():
    """Rolled-back test data fires no signals, so drop the per-process calendar copy."""
    from erp.workcalendar.calendar import invalidate_calendar

    invalidate_calendar()
    yield
    invalidate_calendar()


@pytest.fixture
def giftishow(settings):
    """The loopback Giftishow stand-in, with the settings that point the real client at it."""
    from tests.fakes.giftishow import AUTH_CODE, AUTH_TOKEN, FakeGiftishow

    with FakeGiftishow() as fake:
        settings.GIFTISHOW_BASE_URL = fake.base_url
        settings.GIFTISHOW_AUTH_CODE = AUTH_CODE
        settings.GIFTISHOW_AUTH_TOKEN = AUTH_TOKEN
        settings.GIFTISHOW_USER_ID = "coupons@haru.example"
        settings.GIFTISHOW_CALLBACK_NO = "0212345678"
        settings.GIFTISHOW_TIMEOUT_SECONDS = 0.5
        settings.GIFTISHOW_SENDS_PER_SECOND = 1000
        yield fake


@pytest.fixture
def seeded_business_hours(db):
    """The default Mon–Fri 09:00–18:00 rows a data migration seeds, for transactional tests:
    an earlier transactional test's flush (transaction=True empties every table) may have
    removed them, and without them no day is a working day."""
    from datetime import time

    from erp.workcalendar.calendar import invalidate_calendar
    from erp.workcalendar.models import WorkingHours

    for weekday in range(5):
        WorkingHours.objects.get_or_create(weekday=weekday, defaults={"start": time(9), "end": time(18)})
    invalidate_calendar()


@pytest.fixture
def english(settings):
    """Render messages and pages in English, whatever the Korean catalog holds: the
    assertions read English msgids (the product's default language stays Korean)."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(scope="session")
def slack_server():
    """One local Slack Web API stand-in for the whole run, served over real HTTP."""
    with FakeSlackAPI(token=SLACK_TEST_TOKEN) as server:
        yield server


@pytest.fixture
def slack(slack_server, settings):
    """Point the portal's Slack client at the stand-in, with clean state per test.

    The product often turns a refused call into a failed outbox row or a log line, so a
    test could pass while Slack would refuse what was sent: any call the stand-in refused
    as malformed (invalid blocks, a missing argument, an unknown method) fails the test.
    A test provoking one on purpose takes it with ``slack.take_rejections()``.
    """
    slack_server.reset()
    settings.SLACK_BOT_TOKEN = SLACK_TEST_TOKEN
    settings.SLACK_API_BASE_URL = slack_server.base_url
    yield slack_server
    rejected = slack_server.take_rejections()
    if rejected:
        pytest.fail("Slack would refuse what was sent:\n" + "\n".join(f"  {r}" for r in rejected), pytrace=False)


# Outbox tests send messages of made-up kinds ("test.event" …): they show nothing private,
# and say so the way every module's builder does (the privacy policy fails closed on an
# undeclared kind).
@shows(kinds=("test.*",), text=PUBLIC)
def _test_message():
    return "", []
