"""The suite's clock: real by default, travelled by HARU_TEST_NOW, and a test's own pin wins."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from erp.workcalendar.calendar import KST
from tests.conftest import TEST_NOW

# A generous bound for "just started": the clock ticks while fixtures run on a busy machine.
JUST = timedelta(seconds=30)


@pytest.fixture
def now_in_a_fixture():
    return timezone.now()


def test_every_test_and_its_fixtures_start_at_the_run_moment(now_in_a_fixture):
    if TEST_NOW is None:
        assert not time_machine.escape_hatch.is_travelling()
        return
    assert TEST_NOW <= now_in_a_fixture <= timezone.now() < TEST_NOW + JUST


def test_the_clock_ticks():
    first = timezone.now()
    while timezone.now() == first:
        pass


@pytest.mark.time_machine(datetime(2030, 1, 2, 9, 0, tzinfo=KST), tick=False)
def test_a_time_machine_marker_wins():
    assert timezone.now() == datetime(2030, 1, 2, 9, 0, tzinfo=KST)


def test_a_patched_timezone_now_wins(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: datetime(2030, 1, 2, 9, 0, tzinfo=KST))
    assert timezone.localdate().isoformat() == "2030-01-02"


def test_the_time_machine_fixture_wins(time_machine):
    time_machine.move_to(datetime(2030, 1, 2, 9, 0, tzinfo=KST), tick=False)
    assert timezone.now() == datetime(2030, 1, 2, 9, 0, tzinfo=KST)
