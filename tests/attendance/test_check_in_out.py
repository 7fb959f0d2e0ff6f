"""Check-in / check-out through the services (as Slack and the web call them), merged with device punches."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from attendance import signals
from attendance.models import DayState, Punch, WorkDay
from attendance.services import attendance_check_in, attendance_check_out, attendance_status, punches_ingest
from erp.audit.models import AuditEvent
from erp.core.errors import ConflictError

from .conftest import kst


@pytest.fixture
def frozen_now(monkeypatch):
    """Pin timezone.now() for the services (the derivation's 'working until cut-off' uses it)."""
    from django.utils import timezone

    state = {"now": kst(2026, 11, 18, 9, 0)}
    monkeypatch.setattr(timezone, "now", lambda: state["now"])
    return state


@pytest.fixture
def received():
    events = []

    def receiver(signal, **kwargs):
        events.append((signal, kwargs))

    for signal in (signals.checked_in, signals.checked_out, signals.punch_recorded):
        signal.connect(receiver)
    yield events
    for signal in (signals.checked_in, signals.checked_out, signals.punch_recorded):
        signal.disconnect(receiver)


def test_slack_check_in_and_out(alice, slack_actor, frozen_now, received):
    result = attendance_check_in(employee=alice, location="remote", by=slack_actor(alice))
    assert result.punch.source == "slack" and result.punch.location == "remote"
    assert result.status.is_checked_in and result.status.today.first_in == kst(2026, 11, 18, 9)
    frozen_now["now"] = kst(2026, 11, 18, 18, 30)
    result = attendance_check_out(employee=alice, by=slack_actor(alice))
    assert not result.status.is_checked_in
    assert result.status.today.worked_minutes == 510 and result.status.today.location == "remote"
    kinds = [signal for signal, _ in received]
    assert kinds == [signals.checked_in, signals.punch_recorded, signals.checked_out, signals.punch_recorded]
    out = received[2][1]
    assert out["at"] == kst(2026, 11, 18, 18, 30) and out["location"] == "remote"
    assert out["today_minutes"] == 510 and out["week_minutes"] == 510
    assert out["remaining_minutes"] == 52 * 60 - 510 and out["by"].source == "slack"
    assert AuditEvent.objects.filter(action="checked_in", source="slack").count() == 1


def test_checked_in_signal_carries_the_dm_figures(alice, slack_actor, frozen_now, received):
    attendance_check_in(employee=alice, location="client", place="삼성전자 수원", by=slack_actor(alice))
    signal, kwargs = received[0]
    assert signal is signals.checked_in
    assert kwargs["place"] == "삼성전자 수원" and kwargs["location"] == "client"
    assert kwargs["today_minutes"] == 0 and kwargs["work_day"].date == date(2026, 11, 18)
    assert kwargs["week_start"] == date(2026, 11, 16)


def test_double_check_in_is_refused(alice, slack_actor, frozen_now):
    attendance_check_in(employee=alice, by=slack_actor(alice))
    with pytest.raises(ConflictError, match="already checked in since 09:00"):
        attendance_check_in(employee=alice, by=slack_actor(alice))
    assert Punch.objects.count() == 1


def test_check_out_without_check_in_is_refused(alice, slack_actor, frozen_now):
    with pytest.raises(ConflictError, match="not checked in"):
        attendance_check_out(employee=alice, by=slack_actor(alice))


def test_client_site_needs_a_place(alice, slack_actor, frozen_now):
    with pytest.raises(ValidationError):
        attendance_check_in(employee=alice, location="client", by=slack_actor(alice))
    with pytest.raises(ValidationError):
        attendance_check_in(employee=alice, location="moon", by=slack_actor(alice))


def test_future_punch_is_refused(alice, slack_actor, frozen_now):
    with pytest.raises(ValidationError):
        attendance_check_in(employee=alice, at=kst(2026, 11, 18, 12), by=slack_actor(alice))


def test_check_out_after_midnight_closes_yesterday(alice, slack_actor, frozen_now):
    frozen_now["now"] = kst(2026, 11, 18, 21)
    attendance_check_in(employee=alice, by=slack_actor(alice))
    frozen_now["now"] = kst(2026, 11, 19, 1, 30)
    result = attendance_check_out(employee=alice, by=slack_actor(alice))
    day = WorkDay.objects.get(employee=alice)
    assert day.date == date(2026, 11, 18) and day.last_out == kst(2026, 11, 19, 1, 30)
    assert day.worked_minutes == 270 - 30
    assert result.status.today.date == date(2026, 11, 19)


def test_device_and_slack_punches_merge_into_one_day(alice, device, slack_actor, frozen_now, received):
    # Morning at the office reader, then check-out from Slack at home.
    punches_ingest(
        device=device,
        items=[{"event_id": "a1", "employee": "H1002", "timestamp": kst(2026, 11, 18, 8, 55).isoformat()}],
    )
    status = attendance_status(alice)
    assert status.is_checked_in and status.today.location == "office"
    with pytest.raises(ConflictError):
        attendance_check_in(employee=alice, by=slack_actor(alice))
    frozen_now["now"] = kst(2026, 11, 18, 18, 10)
    attendance_check_out(employee=alice, by=slack_actor(alice))
    day = WorkDay.objects.get(employee=alice)
    assert (day.first_in, day.last_out, day.punch_count) == (kst(2026, 11, 18, 8, 55), kst(2026, 11, 18, 18, 10), 2)
    assert set(Punch.objects.values_list("source", flat=True)) == {"device", "slack"}
    # The device punch was fresh, so it announced the check-in too.
    check_ins = [kw for s, kw in received if s is signals.checked_in]
    assert len(check_ins) == 1 and check_ins[0]["punch"].source == "device"


def test_replayed_old_device_punches_send_no_check_in_signal(alice, device, frozen_now, received):
    old = kst(2026, 11, 17, 9)
    punches_ingest(device=device, items=[{"event_id": "x", "employee": "H1002", "timestamp": old.isoformat()}])
    assert not [s for s, _ in received if s is signals.checked_in]


def test_second_check_out_moves_the_time(alice, slack_actor, frozen_now):
    attendance_check_in(employee=alice, by=slack_actor(alice))
    frozen_now["now"] = kst(2026, 11, 18, 18)
    attendance_check_out(employee=alice, by=slack_actor(alice))
    frozen_now["now"] = kst(2026, 11, 18, 20)
    attendance_check_out(employee=alice, by=slack_actor(alice))
    assert WorkDay.objects.get(employee=alice).last_out == kst(2026, 11, 18, 20)


def test_status_counts_live_minutes(alice, slack_actor, frozen_now):
    attendance_check_in(employee=alice, by=slack_actor(alice))
    frozen_now["now"] = kst(2026, 11, 18, 15, 10)
    status = attendance_status(alice)
    assert status.today.state == DayState.WORKING
    assert status.today.worked_minutes == 370 - 30
    assert status.week.total_minutes == 340 and status.week.remaining_minutes == 52 * 60 - 340


def test_web_punches_are_audited_with_source(alice, frozen_now):
    attendance_check_in(employee=alice, by=alice.user)
    assert Punch.objects.get().source == "web" and Punch.objects.get().entered_by == alice.user
    assert AuditEvent.objects.get(action="checked_in").source == "web"


def test_inactive_employee_cannot_punch(alice, frozen_now):
    alice.user.is_active = False
    alice.user.save()
    with pytest.raises(ValidationError):
        attendance_check_in(employee=alice, by=alice.user)


def test_week_start_is_monday_kst(alice, frozen_now):
    status = attendance_status(alice)
    assert status.week.week_start == date(2026, 11, 16)
    assert status.week.week_end == date(2026, 11, 16) + timedelta(days=6)


def test_stale_open_day_stops_counting_after_its_cutoff(alice, slack_actor, frozen_now):
    attendance_check_in(employee=alice, by=slack_actor(alice))
    frozen_now["now"] = kst(2026, 11, 20, 12)  # two days later, before the overdue job ran
    from attendance.selectors import day_summary

    summary = day_summary(alice, date(2026, 11, 18))
    assert summary.state == DayState.MISSING_CHECKOUT and summary.worked_minutes == 0
