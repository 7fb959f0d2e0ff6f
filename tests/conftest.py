"""Project-wide fixtures.

The suite runs on SQLite by default and on PostgreSQL when DATABASE_URL points there
(CI always does). Tests marked ``postgres`` need PostgreSQL-only features and are
skipped, with the reason, on SQLite.
"""

import pytest
from django.conf import settings

from tests.browser import page  # noqa: F401  (the Playwright page fixture, for every test module)
from tests.fakes.slack_api import FakeSlackAPI

SLACK_TEST_TOKEN = "xoxb-test-token"


def _database_engine() -> str:
    return settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]


def pytest_report_header(config):
    db = settings.DATABASES["default"]
    where = f"{db.get('HOST') or 'local'}:{db.get('PORT') or ''}/{db.get('NAME')}"
    return [
        f"database: {_database_engine()} ({where})",
        f"celery broker: {settings.CELERY_BROKER_URL.split('@')[-1]}",
    ]


def pytest_collection_modifyitems(config, items):
    if _database_engine() == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL; CI always runs these)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_company_calendar():
    """Rolled-back test data fires no signals, so drop the per-process calendar copy."""
    from erp.workcalendar.calendar import invalidate_calendar

    invalidate_calendar()
    yield
    invalidate_calendar()


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
