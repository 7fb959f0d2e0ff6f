"""Reads the Slack layer and API clients use: summaries, who works elsewhere, the days list."""

import threading
from datetime import date

import pytest
from django.db import connection

from attendance.models import Location, Punch, WorkDay
from attendance.selectors import approvers_for, day_summary, week_summary, working_elsewhere
from attendance.services import attendance_check_in, punches_ingest
from erp.audit.actor import Actor

from .conftest import kst


def ingest_day(device, employee_no, day, prefix=""):
    start = kst(day.year, day.month, day.day, 9)
    punches_ingest(
        device=device,
        items=[
            {"event_id": f"{prefix}{employee_no}-{day}-in", "employee": employee_no, "timestamp": start.isoformat()},
            {
                "event_id": f"{prefix}{employee_no}-{day}-out",
                "employee": employee_no,
                "timestamp": kst(day.year, day.month, day.day, 18).isoformat(),
            },
        ],
    )


def test_day_and_week_summary(alice, device):
    ingest_day(device, "H1002", date(2026, 11, 16))
    day = day_summary(alice, date(2026, 11, 16))
    assert (day.state, day.worked_minutes, day.first_in) == ("done", 480, kst(2026, 11, 16, 9))
    empty = day_summary(alice, date(2026, 11, 15))
    assert empty.state is None and not empty.is_working_day
    week = week_summary(alice, date(2026, 11, 19))
    assert week.week_start == date(2026, 11, 16) and week.total_minutes == 480
    assert week.remaining_minutes == 52 * 60 - 480 and week.level == "ok" and len(week.days) == 7


def test_working_elsewhere_lists_remote_and_client(alice, bob, device, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: kst(2026, 11, 18, 9, 30))
    attendance_check_in(employee=alice, location=Location.REMOTE, by=Actor(user=alice.user, source="slack"))
    attendance_check_in(employee=bob, location=Location.CLIENT, place="KB국민은행 여의도", by=bob.user)
    rows = working_elsewhere(date(2026, 11, 18))
    assert [(r.employee, r.location, r.place) for r in rows] == [
        (bob, "client", "KB국민은행 여의도"),
        (alice, "remote", ""),
    ]


def test_approvers(alice, manager, outsider, admin_employee):
    assert approvers_for(alice) == [manager]
    assert approvers_for(manager) == [admin_employee]


def test_days_api_is_permission_aware_and_filtered(client, alice, bob, manager, outsider, device):
    ingest_day(device, "H1002", date(2026, 11, 16))
    ingest_day(device, "H1003", date(2026, 11, 16))
    ingest_day(device, "H1002", date(2026, 10, 16))
    client.force_login(alice.user)
    mine = client.get("/api/attendance/days").json()["results"]
    assert {d["employee_no"] for d in mine} == {"H1002"} and len(mine) == 2
    client.force_login(manager.user)
    team = client.get("/api/attendance/days", {"month": "2026-11"}).json()["results"]
    assert {d["employee_no"] for d in team} == {"H1002", "H1003"}
    assert team[0]["worked_minutes"] == 480
    only_bob = client.get("/api/attendance/days", {"employee": bob.pk}).json()["results"]
    assert {d["employee_no"] for d in only_bob} == {"H1003"}
    junk = client.get("/api/attendance/days", {"month": "junk"})
    assert junk.status_code == 400 and "month" in junk.json()["errors"]
    client.force_login(outsider.user)
    assert client.get("/api/attendance/days").json()["results"] == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_overlapping_batches_derive_the_full_day(alice, device):
    """Two deliveries of the same backlog at once: each punch stored once, the day complete."""
    items = [
        {"event_id": str(i), "employee": "H1002", "timestamp": kst(2026, 11, 16, 9 + i).isoformat()}
        for i in range(0, 10)
    ]
    errors = []

    def deliver(part):
        try:
            punches_ingest(device=device, items=part)
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=deliver, args=(items[:7],)),
        threading.Thread(target=deliver, args=(items[3:],)),
        threading.Thread(target=deliver, args=(list(reversed(items)),)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Punch.objects.count() == 10
    day = WorkDay.objects.get(employee=alice)
    assert (day.first_in, day.last_out, day.punch_count) == (kst(2026, 11, 16, 9), kst(2026, 11, 16, 18), 10)
