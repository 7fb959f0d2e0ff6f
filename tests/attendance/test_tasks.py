"""Missing check-out reminders and overdue days: signals once, nothing closed silently."""

import io
from datetime import date

import pytest

from attendance import signals
from attendance.models import DayState, WorkDay
from attendance.services import mark_overdue_days, punches_ingest, send_missing_checkout_reminders
from attendance.tasks import remind_missing_checkouts

from .conftest import kst


@pytest.fixture
def received():
    events = []

    def receiver(signal, **kwargs):
        events.append(kwargs)

    signals.missing_checkout.connect(receiver)
    yield events
    signals.missing_checkout.disconnect(receiver)


@pytest.fixture
def open_day(alice, device, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: kst(2026, 11, 18, 21, 0))
    punches_ingest(
        device=device, items=[{"event_id": "1", "employee": "H1002", "timestamp": kst(2026, 11, 18, 9).isoformat()}]
    )
    return WorkDay.objects.get(employee=alice)


def test_reminder_fires_once_and_closes_nothing(open_day, alice, manager, received):
    assert open_day.state == DayState.WORKING
    assert send_missing_checkout_reminders(now=kst(2026, 11, 18, 21)) == 1
    assert received[0]["employee"] == alice and received[0]["manager"] == manager
    assert received[0]["checked_in_at"] == kst(2026, 11, 18, 9) and received[0]["by"].source == "system"
    assert send_missing_checkout_reminders(now=kst(2026, 11, 18, 21, 5)) == 0
    open_day.refresh_from_db()
    assert open_day.state == DayState.WORKING and open_day.last_out is None


def test_task_runs(open_day, received):
    assert remind_missing_checkouts.apply().get() in (0, 1)


def test_overdue_days_become_missing_checkout(open_day, received):
    assert mark_overdue_days(now=kst(2026, 11, 19, 3, 59)) == 0
    assert mark_overdue_days(now=kst(2026, 11, 19, 4, 5)) == 1
    day = WorkDay.objects.get(pk=open_day.pk)
    assert day.state == DayState.MISSING_CHECKOUT and day.last_out is None and day.worked_minutes == 0
    assert len(received) == 1  # not reminded at 21:00, so reminded now
    assert mark_overdue_days(now=kst(2026, 11, 19, 5)) == 0
    assert len(received) == 1


def test_checked_out_days_are_not_reminded(alice, device, received):
    punches_ingest(
        device=device,
        items=[
            {"event_id": "1", "employee": "H1002", "timestamp": kst(2026, 11, 18, 9).isoformat()},
            {"event_id": "2", "employee": "H1002", "timestamp": kst(2026, 11, 18, 18).isoformat()},
        ],
    )
    assert send_missing_checkout_reminders(now=kst(2026, 11, 18, 21)) == 0
    assert WorkDay.objects.get(date=date(2026, 11, 18)).state == DayState.DONE


def test_rederive_command_applies_new_break_rules(alice, device, settings):
    from django.core.management import call_command

    punches_ingest(
        device=device,
        items=[
            {"event_id": "1", "employee": "H1002", "timestamp": kst(2026, 11, 16, 9).isoformat()},
            {"event_id": "2", "employee": "H1002", "timestamp": kst(2026, 11, 16, 18).isoformat()},
        ],
    )
    assert WorkDay.objects.get().worked_minutes == 480
    settings.ATTENDANCE_BREAKS = "240:30,480:90"
    call_command("attendance_rederive", "--from", "2026-11-01", "--to", "2026-11-30", stdout=io.StringIO())
    assert WorkDay.objects.get().worked_minutes == 540 - 60  # only 60 min above 480 min of presence
    settings.ATTENDANCE_BREAKS = "240:30,420:90"
    call_command("attendance_rederive", "--from", "2026-11-01", "--employee", "H1002", stdout=io.StringIO())
    assert WorkDay.objects.get().worked_minutes == 540 - 90


def test_only_the_current_work_days_open_shift_is_reminded(alice, device, received):
    """A months-old open day (a replayed backlog) gets no DM telling the person to check out now."""
    items = [
        {"event_id": "old", "employee": "H1002", "timestamp": kst(2026, 9, 7, 9).isoformat()},
        {"event_id": "new", "employee": "H1002", "timestamp": kst(2026, 11, 18, 9).isoformat()},
    ]
    punches_ingest(device=device, items=items)
    assert WorkDay.objects.get(date=date(2026, 9, 7)).state == DayState.MISSING_CHECKOUT
    mark_overdue_days(now=kst(2026, 11, 18, 12))
    assert received == []  # the September day is shown in the portal, not DM'd about
    assert send_missing_checkout_reminders(now=kst(2026, 11, 18, 21)) == 1
    assert [event["work_day"].date for event in received] == [date(2026, 11, 18)]
