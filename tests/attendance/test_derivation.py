"""The pure day rules: which day a punch belongs to, direction inference, breaks, state."""

import random
from datetime import date, timedelta

import pytest

from attendance.derivation import (
    PunchFact,
    assign_days,
    break_minutes_for,
    derive_day,
    week_start_of,
)
from attendance.models import DayState

from .conftest import kst

RULES = [(240, 30), (480, 60)]
LATER = kst(2030, 1, 1)


def fact(pk, when, direction="unknown"):
    return PunchFact(pk, when, direction, "office", "HQ")


def derive(day, punches, now=LATER):
    return derive_day(day, punches, now=now, cutoff_hour=4, break_rules=RULES)


@pytest.mark.parametrize(
    ("gross", "expected_break"),
    [(0, 0), (240, 0), (250, 10), (270, 30), (300, 30), (480, 30), (500, 30), (510, 30), (540, 60), (720, 60)],
)
def test_statutory_breaks_are_phased_in(gross, expected_break):
    assert break_minutes_for(gross, RULES) == expected_break


def test_worked_time_never_drops_when_staying_longer():
    worked = [g - break_minutes_for(g, RULES) for g in range(0, 800)]
    assert worked == sorted(worked)


def test_standard_day_is_eight_hours():
    day = derive(date(2026, 11, 16), [fact(1, kst(2026, 11, 16, 9)), fact(2, kst(2026, 11, 16, 18))])
    assert (day.state, day.gross_minutes, day.break_minutes, day.worked_minutes) == (DayState.DONE, 540, 60, 480)


def test_unknown_direction_first_in_then_out():
    punches = [fact(1, kst(2026, 11, 16, 8, 55)), fact(2, kst(2026, 11, 16, 12)), fact(3, kst(2026, 11, 16, 18, 5))]
    day = derive(date(2026, 11, 16), punches)
    assert day.first_in == kst(2026, 11, 16, 8, 55)
    assert day.last_out == kst(2026, 11, 16, 18, 5)
    assert day.punch_count == 3


def test_shift_across_midnight_belongs_to_the_day_it_started():
    punches = [fact(1, kst(2026, 11, 20, 22), "in"), fact(2, kst(2026, 11, 21, 2, 30))]
    days = assign_days(punches, 4)
    assert list(days) == [date(2026, 11, 20)]
    day = derive(date(2026, 11, 20), days[date(2026, 11, 20)])
    assert day.last_out == kst(2026, 11, 21, 2, 30)
    assert day.gross_minutes == 270 and day.worked_minutes == 240


def test_early_punch_after_a_closed_day_starts_a_new_day():
    punches = [
        fact(1, kst(2026, 11, 20, 9), "in"),
        fact(2, kst(2026, 11, 20, 18), "out"),
        fact(3, kst(2026, 11, 21, 3), "unknown"),
    ]
    days = assign_days(punches, 4)
    assert sorted(days) == [date(2026, 11, 20), date(2026, 11, 21)]


def test_explicit_check_in_before_cutoff_is_its_own_day():
    punches = [fact(1, kst(2026, 11, 20, 22), "in"), fact(2, kst(2026, 11, 21, 3), "in")]
    days = assign_days(punches, 4)
    assert sorted(days) == [date(2026, 11, 20), date(2026, 11, 21)]


def test_order_does_not_matter():
    base = kst(2026, 11, 16, 8)
    punches = []
    for day in range(10):
        start = base + timedelta(days=day, minutes=day * 7)
        punches += [fact(len(punches) + 1, start), fact(len(punches) + 2, start + timedelta(hours=9 + day % 4))]
    punches.append(fact(99, kst(2026, 11, 20, 23), "in"))
    punches.append(fact(100, kst(2026, 11, 21, 1, 15)))
    expected = assign_days(punches, 4)
    for seed in range(5):
        shuffled = punches[:]
        random.Random(seed).shuffle(shuffled)
        assert assign_days(shuffled, 4) == expected


def test_open_day_is_working_until_cutoff_then_missing_checkout():
    punches = [fact(1, kst(2026, 11, 20, 9), "in")]
    working = derive(date(2026, 11, 20), punches, now=kst(2026, 11, 21, 3, 59))
    missing = derive(date(2026, 11, 20), punches, now=kst(2026, 11, 21, 4, 0))
    assert working.state == DayState.WORKING and working.worked_minutes == 0
    assert missing.state == DayState.MISSING_CHECKOUT and missing.last_out is None


def test_only_a_check_out_is_a_missing_check_in():
    day = derive(date(2026, 11, 20), [fact(1, kst(2026, 11, 20, 18), "out")])
    assert day.state == DayState.MISSING_CHECKIN and day.last_out == kst(2026, 11, 20, 18)


def test_correction_overrides_the_punches():
    day = derive_day(
        date(2026, 11, 20),
        [fact(1, kst(2026, 11, 20, 9), "in")],
        now=LATER,
        cutoff_hour=4,
        break_rules=RULES,
        corrected_out=kst(2026, 11, 20, 18),
    )
    assert day.state == DayState.DONE and day.worked_minutes == 480


def test_weeks_start_on_monday():
    assert week_start_of(date(2026, 11, 1)) == date(2026, 10, 26)  # a Sunday
    assert week_start_of(date(2026, 11, 2)) == date(2026, 11, 2)
