"""Breaks as a company setting (workcalendar.BreakPolicy): the statutory minimum by presence
(the default, as before), a fixed lunch window, or break punches; the work day, the live figures
and the 52-hour week follow it."""

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from attendance import signals
from attendance.derivation import BreakRules, PunchFact, assign_days, derive_day, lunch_overlap_minutes
from attendance.models import DayState, Direction, Punch, WorkDay
from attendance.selectors import attendance_status, week_summary
from attendance.services import (
    attendance_break_end,
    attendance_break_start,
    attendance_check_in,
    attendance_check_out,
    punches_ingest,
)
from erp.audit.models import AuditEvent
from erp.core.errors import ConflictError
from erp.workcalendar.calendar import Breaks, get_calendar
from erp.workcalendar.models import BreakMode, BreakPolicy

from .conftest import kst

STATUTORY = ((240, 30), (480, 60))
PRESENCE = BreakRules(STATUTORY)
LUNCH = BreakRules(STATUTORY, Breaks(BreakMode.LUNCH_WINDOW, time(12), time(13)))
PUNCHES = BreakRules(STATUTORY, Breaks(BreakMode.PUNCHES))
DAY = date(2026, 11, 18)  # a Wednesday


def at(hour, minute=0, day=DAY):
    return kst(day.year, day.month, day.day, hour, minute)


def derive(punches, rules, day=DAY, now=None):
    return derive_day(day, punches, now=now or at(23, 59, day + timedelta(days=2)), cutoff_hour=4, break_rules=rules)


def span(start, end, rules, extra=()):
    """(break, worked) minutes of a closed day from start to end (datetimes)."""
    punches = [PunchFact(1, start, Direction.IN), *extra, PunchFact(99, end, Direction.OUT)]
    result = derive(punches, rules, day=start.date())
    return result.break_minutes, result.worked_minutes


# --- the pure rules ----------------------------------------------------------------------------


def test_presence_is_the_default_and_unchanged():
    assert BreakRules.of(STATUTORY) == PRESENCE
    assert Breaks().mode == BreakMode.PRESENCE
    assert span(at(8, 30), at(17), PRESENCE) == (30, 480)  # 8 h 30 present: 30 min statutory
    assert span(at(9), at(18), PRESENCE) == (60, 480)


@pytest.mark.parametrize(
    ("start", "end", "expected_break"),
    [
        ((8, 30), (17, 0), 60),  # covers the window: the whole lunch, more than the minimum of 30
        ((8, 0), (12, 0), 0),  # ends where lunch starts: 4 h, no break
        ((8, 0), (12, 30), 30),  # half the window (and the 4 h minimum agrees)
        ((9, 0), (12, 1), 1),  # one minute into lunch
        ((12, 0), (13, 0), 60),  # only lunch: nothing worked
        ((12, 30), (14, 0), 30),  # arrives mid-lunch
        ((13, 0), (18, 0), 30),  # misses the window: the statutory minimum still applies
        ((12, 59), (18, 0), 30),  # one minute of lunch, but 5 h 1 m present needs 30
        ((7, 0), (19, 0), 60),  # 12 h: the window and the 8 h minimum are both 60
    ],
)
def test_lunch_window_edges(start, end, expected_break):
    breaks, worked = span(at(*start), at(*end), LUNCH)
    gross = int((at(*end) - at(*start)).total_seconds() // 60)
    assert (breaks, worked) == (expected_break, gross - expected_break)


def test_lunch_window_never_lowers_worked_time_by_staying_longer_or_arriving_earlier():
    worked_by_end = [span(at(8), at(8) + timedelta(minutes=m), LUNCH)[1] for m in range(1, 13 * 60)]
    assert all(b >= a for a, b in zip(worked_by_end, worked_by_end[1:], strict=False))
    worked_by_start = [span(at(18) - timedelta(minutes=m), at(18), LUNCH)[1] for m in range(1, 13 * 60)]
    assert all(b >= a for a, b in zip(worked_by_start, worked_by_start[1:], strict=False))


def test_night_shift_with_the_lunch_window_keeps_the_statutory_minimum():
    # 22:00 → 06:00 touches no lunch window: 8 h present, 30 min minimum.
    assert span(at(22), at(6, 0, DAY + timedelta(days=1)), LUNCH) == (30, 450)
    # A span reaching into the next day's lunch deducts that day's window.
    assert lunch_overlap_minutes(at(22), at(13, 0, DAY + timedelta(days=1)), time(12), time(13)) == 60
    assert lunch_overlap_minutes(at(11), at(12, 30), time(12), time(13)) == 30


def test_break_punches_are_deducted_with_the_minimum_as_floor():
    lunch = [PunchFact(2, at(12), Direction.BREAK_START), PunchFact(3, at(13, 30), Direction.BREAK_END)]
    assert span(at(9), at(18), PUNCHES, lunch) == (90, 450)
    short = [PunchFact(2, at(12), Direction.BREAK_START), PunchFact(3, at(12, 20), Direction.BREAK_END)]
    assert span(at(9), at(18), PUNCHES, short) == (60, 480)  # 20 min punched, 60 min statutory
    # A start without an end deducts nothing beyond the minimum; two breaks add up.
    assert span(at(9), at(18), PUNCHES, [PunchFact(2, at(12), Direction.BREAK_START)]) == (60, 480)
    two = [
        PunchFact(2, at(11), Direction.BREAK_START),
        PunchFact(3, at(11, 45), Direction.BREAK_END),
        PunchFact(4, at(15), Direction.BREAK_START),
        PunchFact(5, at(15, 30), Direction.BREAK_END),
    ]
    assert span(at(9), at(18), PUNCHES, two) == (75, 465)


def test_break_punches_never_move_the_check_in_or_out():
    # A reader that does not know directions: the punch after the break is still the check-out.
    punches = [
        PunchFact(1, at(9), Direction.UNKNOWN),
        PunchFact(2, at(12), Direction.BREAK_START),
        PunchFact(3, at(13, 30), Direction.BREAK_END),
        PunchFact(4, at(18), Direction.UNKNOWN),
    ]
    day = derive(punches, PUNCHES)
    assert (day.state, day.first_in, day.last_out, day.break_minutes) == (DayState.DONE, at(9), at(18), 90)
    # The presence policy ignores them: the statutory minimum only.
    assert derive(punches, PRESENCE).break_minutes == 60
    # Break punches alone make no day.
    assert derive([PunchFact(2, at(12), Direction.BREAK_START)], PUNCHES) is None


def test_night_shift_breaks_past_the_cutoff_stay_in_the_night():
    next_day = DAY + timedelta(days=1)
    punches = [
        PunchFact(1, at(22), Direction.UNKNOWN),
        PunchFact(2, at(4, 30, next_day), Direction.BREAK_START),
        PunchFact(3, at(6, 0, next_day), Direction.BREAK_END),
        PunchFact(4, at(7, 0, next_day), Direction.UNKNOWN),
    ]
    days = assign_days(punches, 4, max_shift=timedelta(hours=12))
    assert list(days) == [DAY]
    day = derive(days[DAY], PUNCHES)
    assert (day.gross_minutes, day.break_minutes, day.worked_minutes) == (540, 90, 450)
    # Before the cut-off too (a 02:00 break belongs to the shift that is open).
    early = [
        PunchFact(1, at(22), Direction.IN),
        PunchFact(2, at(2, 0, next_day), Direction.BREAK_START),
        PunchFact(3, at(2, 45, next_day), Direction.BREAK_END),
        PunchFact(4, at(6, 0, next_day), Direction.OUT),
    ]
    days = assign_days(early, 4, max_shift=timedelta(hours=12))
    assert list(days) == [DAY] and derive(days[DAY], PUNCHES).break_minutes == 45


def test_open_day_counts_the_breaks_punched_so_far():
    punches = [
        PunchFact(1, at(9), Direction.IN),
        PunchFact(2, at(12), Direction.BREAK_START),
        PunchFact(3, at(13, 30), Direction.BREAK_END),
    ]
    day = derive(punches, PUNCHES, now=at(15))
    assert (day.state, day.break_minutes) == (DayState.WORKING, 90)


# --- the setting, the database side ---------------------------------------------------------


def _week(employee_no, first_day, days, start, end):
    items = []
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        for kind, moment in (("in", at(*start, day)), ("out", at(*end, day))):
            items.append({"event_id": f"{day}-{kind}", "employee": employee_no, "timestamp": moment.isoformat()})
    return items


@pytest.fixture
def lunch_window(db):
    return BreakPolicy.objects.create(mode=BreakMode.LUNCH_WINDOW, lunch_start=time(12), lunch_end=time(13))


def test_no_policy_row_means_presence(db):
    assert get_calendar().breaks == Breaks()


def test_the_setting_reaches_the_calendar_at_once(lunch_window):
    assert get_calendar().breaks.mode == BreakMode.LUNCH_WINDOW
    lunch_window.mode = BreakMode.PUNCHES
    lunch_window.save()
    assert get_calendar().breaks.mode == BreakMode.PUNCHES
    lunch_window.delete()
    assert get_calendar().breaks == Breaks()


def test_the_lunch_window_lowers_the_52_hour_week(alice, device, settings):
    """Mon–Sat 08:00–16:50 (8 h 50 present): by presence 6 × 8 h = 48 h, the warning level;
    with the 12–13 lunch deducted 6 × 7 h 50 = 47 h, below it."""
    monday = date(2026, 11, 16)
    received = []

    def on_threshold(signal, **kwargs):
        received.append(kwargs["week_minutes"])

    signals.weekly_threshold_crossed.connect(on_threshold, weak=False)
    try:
        punches_ingest(device=device, items=_week("H1002", monday, 6, (8, 0), (16, 50)))
        assert week_summary(alice, monday, now=at(10, 0, date(2026, 12, 2))).total_minutes == 48 * 60
        assert len(received) == 1 and received[0] >= 48 * 60

        BreakPolicy.objects.create(mode=BreakMode.LUNCH_WINDOW)
        from django.core.management import call_command

        call_command("attendance_rederive", "--from", "2026-11-16", "--to", "2026-11-22", stdout=None)
        week = week_summary(alice, monday, now=at(10, 0, date(2026, 12, 2)))
        assert week.total_minutes == 47 * 60
        assert set(WorkDay.objects.filter(employee=alice).values_list("break_minutes", flat=True)) == {60}
    finally:
        signals.weekly_threshold_crossed.disconnect(on_threshold)


def test_existing_days_keep_their_minutes_until_re_derived(alice, device):
    punches_ingest(device=device, items=_week("H1002", date(2026, 11, 16), 1, (8, 30), (17, 0)))
    assert WorkDay.objects.get(employee=alice).break_minutes == 30
    BreakPolicy.objects.create(mode=BreakMode.LUNCH_WINDOW)
    assert WorkDay.objects.get(employee=alice).break_minutes == 30  # payroll may have used it
    # The next punch of that day re-derives it under the new policy.
    punches_ingest(
        device=device,
        items=[{"event_id": "late-out", "employee": "H1002", "timestamp": at(17, 5, date(2026, 11, 16)).isoformat()}],
    )
    assert WorkDay.objects.get(employee=alice).break_minutes == 60


# --- break punches from people ----------------------------------------------------------------

TODAY = date(2026, 12, 2)  # the pinned clock's day, 10:00 KST


def test_break_punches_are_refused_unless_the_company_records_them(alice):
    attendance_check_in(employee=alice, at=at(8, 0, TODAY), by=alice.user)
    with pytest.raises(ValidationError, match="not recorded by punches"):
        attendance_break_start(employee=alice, at=at(9, 0, TODAY), by=alice.user)
    assert not Punch.objects.filter(direction=Direction.BREAK_START).exists()


def test_break_start_and_end_in_the_open_shift(alice):
    BreakPolicy.objects.create(mode=BreakMode.PUNCHES)
    with pytest.raises(ConflictError):
        attendance_break_start(employee=alice, at=at(8, 0, TODAY), by=alice.user)  # not checked in
    attendance_check_in(employee=alice, at=at(7, 0, TODAY), by=alice.user)
    with pytest.raises(ConflictError):
        attendance_break_end(employee=alice, at=at(8, 0, TODAY), by=alice.user)  # not on a break
    attendance_break_start(employee=alice, at=at(8, 0, TODAY), by=alice.user)
    status = attendance_status(alice)
    assert status.break_punches and status.on_break_since == at(8, 0, TODAY)
    with pytest.raises(ConflictError):
        attendance_break_start(employee=alice, at=at(8, 10, TODAY), by=alice.user)  # already on one
    result = attendance_break_end(employee=alice, at=at(9, 30, TODAY), by=alice.user)
    assert result.status.on_break_since is None
    day = WorkDay.objects.get(employee=alice)
    assert (day.state, day.first_in, day.break_minutes) == (DayState.WORKING, at(7, 0, TODAY), 90)
    # Live: 3 h since 07:00 minus the 90-minute break (more than the 30 min minimum).
    assert 89 <= attendance_status(alice).today.worked_minutes <= 91
    actions = AuditEvent.objects.filter(action__startswith="break_").order_by("id").values_list("action", flat=True)
    assert list(actions) == ["break_started", "break_ended"]
    attendance_check_out(employee=alice, at=at(9, 59, TODAY), by=alice.user)
    day.refresh_from_db()
    assert (day.state, day.gross_minutes, day.break_minutes, day.worked_minutes) == (DayState.DONE, 179, 90, 89)


def test_web_break_buttons(client, alice):
    client.force_login(alice.user)
    attendance_check_in(employee=alice, at=at(8, 0, TODAY), by=alice.user)
    page = client.get(reverse("attendance:month"))
    assert reverse("attendance:break").encode() not in page.content  # presence: no buttons
    BreakPolicy.objects.create(mode=BreakMode.PUNCHES)
    page = client.get(reverse("attendance:month"))
    assert reverse("attendance:break").encode() in page.content and b'value="start"' in page.content
    response = client.post(reverse("attendance:break"), {"action": "start"}, follow=True)
    assert response.status_code == 200
    assert Punch.objects.filter(employee=alice, direction=Direction.BREAK_START).count() == 1
    assert b'value="end"' in response.content
    response = client.post(reverse("attendance:break"), {"action": "start"}, follow=True)
    assert response.status_code == 200  # refused with a message, not a 500
    assert Punch.objects.filter(employee=alice, direction=Direction.BREAK_START).count() == 1
    response = client.post(reverse("attendance:break"), {"action": "bogus"}, follow=True)
    assert response.status_code == 200
    client.post(reverse("attendance:break"), {"action": "end"})
    assert Punch.objects.filter(employee=alice, direction=Direction.BREAK_END).count() == 1


def test_a_device_may_send_break_punches(alice, device):
    BreakPolicy.objects.create(mode=BreakMode.PUNCHES)
    items = [
        {"event_id": "b1", "employee": "H1002", "timestamp": at(9).isoformat(), "direction": "in"},
        {"event_id": "b2", "employee": "H1002", "timestamp": at(12).isoformat(), "direction": "휴게"},
        {"event_id": "b3", "employee": "H1002", "timestamp": at(13, 40).isoformat(), "direction": "복귀"},
        {"event_id": "b4", "employee": "H1002", "timestamp": at(18).isoformat(), "direction": "out"},
    ]
    result = punches_ingest(device=device, items=items)
    assert result.accepted == 4
    day = WorkDay.objects.get(employee=alice)
    assert (day.break_minutes, day.worked_minutes) == (100, 440)


# --- the admin setting -------------------------------------------------------------------------


def test_admin_sets_the_policy_with_an_audit_event(client, admin_employee):
    client.force_login(admin_employee.user)
    url = reverse("admin:workcalendar_breakpolicy_add")
    inline = {
        "audit-auditevent-content_type-object_id-TOTAL_FORMS": "0",
        "audit-auditevent-content_type-object_id-INITIAL_FORMS": "0",
    }
    response = client.post(url, {"mode": "lunch_window", "lunch_start": "13:00", "lunch_end": "12:00", **inline})
    assert response.status_code == 200 and not BreakPolicy.objects.exists()  # end before start: a form error
    response = client.post(url, {"mode": "lunch_window", "lunch_start": "11:30", "lunch_end": "12:30", **inline})
    assert response.status_code == 302
    policy = BreakPolicy.objects.get()
    assert (policy.mode, policy.lunch_start) == (BreakMode.LUNCH_WINDOW, time(11, 30))
    assert AuditEvent.objects.filter(object_id=str(policy.pk), source="admin").exists()
    assert get_calendar().breaks.lunch_start == time(11, 30)
    # One row only: no second "add".
    assert client.get(url).status_code == 403
