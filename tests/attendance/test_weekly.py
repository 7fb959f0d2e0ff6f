"""Mon–Sun KST weeks across month boundaries, and the 52-hour signals (each fires once)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from attendance import signals
from attendance.derivation import week_start_of
from attendance.models import WeeklyAlert
from attendance.selectors import month_calendar, week_summary
from attendance.services import attendance_check_in, punches_ingest

from .conftest import kst


def day_items(employee_no, day, start_hour, hours, prefix="e"):
    start = kst(day.year, day.month, day.day, start_hour)
    return [
        {"event_id": f"{prefix}{day}-{employee_no}-in", "employee": employee_no, "timestamp": start.isoformat()},
        {
            "event_id": f"{prefix}{day}-{employee_no}-out",
            "employee": employee_no,
            "timestamp": (start + timedelta(hours=hours)).isoformat(),
        },
    ]


@pytest.fixture
def received():
    events = []
    watched = (
        signals.weekly_threshold_crossed,
        signals.weekly_cap_exceeded,
        signals.weekly_breach_projected,
    )

    def receiver(signal, **kwargs):
        events.append((signal, kwargs))

    for signal in watched:
        signal.connect(receiver)
    yield events
    for signal in watched:
        signal.disconnect(receiver)


def test_week_total_spans_a_month_boundary(alice, device):
    # 2026-08-31 is a Monday; the week runs into September.
    for day in (date(2026, 8, 31), date(2026, 9, 1), date(2026, 9, 2)):
        punches_ingest(device=device, items=day_items("H1002", day, 9, 9))
    week = week_summary(alice, date(2026, 9, 2))
    assert week.week_start == date(2026, 8, 31) and week.total_minutes == 3 * 480
    august = month_calendar(alice, 2026, 8)
    september = month_calendar(alice, 2026, 9)
    assert august.weeks[-1].total_minutes == september.weeks[0].total_minutes == 1440
    assert august.worked_minutes == 480 and september.worked_minutes == 960


def test_week_cuts_at_kst_midnight_not_utc(alice, device):
    # Sunday 2026-11-15 23:30 KST (14:30 UTC) is still Sunday in KST: it belongs to that week.
    punches_ingest(
        device=device,
        items=[
            {"event_id": "s1", "employee": "H1002", "timestamp": "2026-11-15T14:30:00Z", "direction": "in"},
            {"event_id": "s2", "employee": "H1002", "timestamp": "2026-11-15T16:30:00Z", "direction": "out"},
        ],
    )
    assert week_summary(alice, date(2026, 11, 9)).total_minutes == 120
    assert week_summary(alice, date(2026, 11, 16)).total_minutes == 0


def test_threshold_and_cap_signals_fire_once(alice, manager, device, received, settings):
    week = [date(2026, 11, 16) + timedelta(days=i) for i in range(6)]
    # 11 h presence → 10 h worked per day: 40 h after Thursday, 50 h after Friday, 60 h Saturday.
    for day in week[:4]:
        punches_ingest(device=device, items=day_items("H1002", day, 8, 11))
    assert received == []
    punches_ingest(device=device, items=day_items("H1002", week[4], 8, 11))
    assert [s for s, _ in received] == [signals.weekly_threshold_crossed]
    kwargs = received[0][1]
    assert kwargs["employee"] == alice and kwargs["manager"] == manager
    assert kwargs["week_minutes"] == 3000 and kwargs["threshold_minutes"] == 48 * 60
    assert kwargs["remaining_minutes"] == 120 and kwargs["week_start"] == week[0]
    assert kwargs["current_week"] is (week_start_of(timezone.localdate()) == week[0])
    punches_ingest(device=device, items=day_items("H1002", week[5], 8, 11))
    assert [s for s, _ in received] == [signals.weekly_threshold_crossed, signals.weekly_cap_exceeded]
    # Replays and more punches in the same week do not repeat them.
    punches_ingest(device=device, items=day_items("H1002", week[5], 8, 11))
    punches_ingest(device=device, items=day_items("H1002", week[5], 20, 2, prefix="late"))
    assert len(received) == 2
    assert WeeklyAlert.objects.filter(employee=alice).count() == 2


def test_configurable_threshold(alice, device, received, settings):
    settings.ATTENDANCE_WEEKLY_WARNING_MINUTES = 8 * 60
    punches_ingest(device=device, items=day_items("H1002", date(2026, 11, 16), 9, 9))
    assert [s for s, _ in received] == [signals.weekly_threshold_crossed]


def test_breach_is_projected_before_it_happens(alice, device, received, monkeypatch):
    from django.utils import timezone

    # Mon–Thu at 11 h worked per day (44 h); Friday morning's check-in projects 55 h > 52 h.
    for i in range(4):
        punches_ingest(device=device, items=day_items("H1002", date(2026, 11, 16) + timedelta(days=i), 8, 12))
    monkeypatch.setattr(timezone, "now", lambda: kst(2026, 11, 20, 8, 5))
    received.clear()
    attendance_check_in(employee=alice, at=kst(2026, 11, 20, 8), by=alice.user)
    projected = [kw for s, kw in received if s is signals.weekly_breach_projected]
    assert len(projected) == 1
    # So far: 44 h + 5 live minutes; projection: + the rest of an 11 h Friday (no weekend work).
    assert projected[0]["week_minutes"] == 44 * 60 + 5 and projected[0]["projected_minutes"] == 55 * 60
    assert projected[0]["cap_minutes"] == 52 * 60
    # Once per week.
    monkeypatch.setattr(timezone, "now", lambda: kst(2026, 11, 20, 12))
    from attendance.services import attendance_check_out

    attendance_check_out(employee=alice, by=alice.user)
    assert len([s for s, _ in received if s is signals.weekly_breach_projected]) == 1


def test_normal_week_projects_no_breach(alice, device, received, monkeypatch):
    from django.utils import timezone

    for i in range(2):
        punches_ingest(device=device, items=day_items("H1002", date(2026, 11, 16) + timedelta(days=i), 9, 9))
    monkeypatch.setattr(timezone, "now", lambda: kst(2026, 11, 18, 9, 1))
    attendance_check_in(employee=alice, at=kst(2026, 11, 18, 9), by=alice.user)
    assert received == []
