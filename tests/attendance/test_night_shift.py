"""Night shifts past the cut-off stay one work day; a corrected night leaves no stray day."""

from datetime import date, timedelta

import pytest

from attendance.derivation import PunchFact, assign_days
from attendance.models import DayState, WorkDay
from attendance.services import correction_decide, correction_request, punches_ingest

from .conftest import kst

SHIFT = timedelta(hours=12)
NIGHT = date(2026, 9, 7)


def fact(pk, when, direction="unknown"):
    return PunchFact(id=pk, at=when, direction=direction)


def test_a_22_to_06_shift_is_one_day_past_the_cutoff():
    punches = [fact(1, kst(2026, 9, 7, 22)), fact(2, kst(2026, 9, 8, 6))]
    assert list(assign_days(punches, 4, max_shift=SHIFT)) == [NIGHT]
    explicit = [fact(1, kst(2026, 9, 7, 22), "in"), fact(2, kst(2026, 9, 8, 6), "out")]
    assert list(assign_days(explicit, 4, max_shift=SHIFT)) == [NIGHT]


def test_the_next_mornings_check_in_is_not_taken_for_a_night_check_out():
    # Forgot to check out at 18:00; the next morning's 08:50 punch is 23 h later: a new day.
    punches = [fact(1, kst(2026, 9, 7, 9, 0)), fact(2, kst(2026, 9, 8, 8, 50))]
    assert sorted(assign_days(punches, 4, max_shift=SHIFT)) == [NIGHT, date(2026, 9, 8)]
    # An explicit check-in always starts its own day.
    punches = [fact(1, kst(2026, 9, 7, 22), "in"), fact(2, kst(2026, 9, 8, 6), "in")]
    assert sorted(assign_days(punches, 4, max_shift=SHIFT)) == [NIGHT, date(2026, 9, 8)]


@pytest.mark.django_db
def test_device_night_shift_is_one_done_day(alice, device):
    items = [
        {"event_id": "n1", "employee": "H1002", "timestamp": kst(2026, 9, 7, 22).isoformat()},
        {"event_id": "n2", "employee": "H1002", "timestamp": kst(2026, 9, 8, 6).isoformat()},
    ]
    punches_ingest(device=device, items=items)
    (day,) = WorkDay.objects.filter(employee=alice)
    assert (day.date, day.state, day.gross_minutes) == (NIGHT, DayState.DONE, 480)


@pytest.mark.django_db
def test_a_corrected_night_leaves_no_stray_missing_check_in(alice, manager, device, settings):
    # With a short maximum shift the 06:30 punch first makes its own "missing check-in" day …
    settings.ATTENDANCE_MAX_SHIFT_HOURS = 6
    items = [
        {"event_id": "c1", "employee": "H1002", "timestamp": kst(2026, 9, 7, 22).isoformat(), "direction": "in"},
        {"event_id": "c2", "employee": "H1002", "timestamp": kst(2026, 9, 8, 6, 30).isoformat(), "direction": "out"},
    ]
    punches_ingest(device=device, items=items)
    assert WorkDay.objects.get(employee=alice, date=date(2026, 9, 8)).state == DayState.MISSING_CHECKIN
    # … which the approved correction of the night absorbs.
    correction = correction_request(
        employee=alice,
        date=NIGHT,
        proposed_in=None,
        proposed_out=kst(2026, 9, 8, 6, 30),
        reason="야간 근무",
        by=alice.user,
    )
    correction_decide(correction=correction, approve=True, by=manager.user)
    assert list(WorkDay.objects.filter(employee=alice).values_list("date", "state")) == [(NIGHT, DayState.DONE)]


def test_an_office_reader_punch_after_a_remote_check_in_changes_location():
    remote = PunchFact(1, kst(2026, 11, 18, 8, 30), "in", "remote")
    office = PunchFact(2, kst(2026, 11, 18, 10, 5), "unknown", "office")
    leaving = PunchFact(3, kst(2026, 11, 18, 18, 0), "unknown", "office")
    from attendance.derivation import derive_day, resolve_directions

    assert resolve_directions([remote, office]) == ["in", "in"]
    assert resolve_directions([remote, office, leaving]) == ["in", "in", "out"]
    day = derive_day(date(2026, 11, 18), [remote, office], now=kst(2026, 11, 18, 11), cutoff_hour=4, break_rules=())
    assert (day.state, day.first_in, day.location) == (DayState.WORKING, remote.at, "office")
    done = derive_day(
        date(2026, 11, 18), [remote, office, leaving], now=kst(2026, 11, 18, 19), cutoff_hour=4, break_rules=()
    )
    assert (done.state, done.last_out) == (DayState.DONE, leaving.at)
