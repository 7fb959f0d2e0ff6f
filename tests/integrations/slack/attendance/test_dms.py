"""Personal DMs: attendance signals → receivers → outbox → FakeSlackAPI (delivered by ``drain``)."""

import json
from datetime import date, timedelta

import pytest
from django.utils import timezone

from attendance import signals
from attendance.derivation import week_start_of
from attendance.models import Direction, Location, WorkDay
from attendance.services import attendance_check_in, attendance_check_out, punch_add, send_missing_checkout_reminders
from erp.audit.actor import Actor
from erp.people.models import Employee
from integrations.slack.attendance.blocks import clock, day_label
from integrations.slack.core.models import DeliveryStatus, SlackMessage

from .conftest import attendance_command, delivered_dms, employee, kst, outbox_rows

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def content(message: dict) -> str:
    return message.get("text", "") + "\n" + json.dumps(message.get("blocks") or [], ensure_ascii=False)


def test_check_in_dm_has_time_location_today_week_and_remaining(post, team, slack):
    attendance_command(post, "in client 삼성전자", "UAGENT001")
    (dm,) = delivered_dms(slack, "UAGENT001")
    day = WorkDay.objects.get(employee=employee(team["agent"]))
    text = content(dm)
    assert f"Checked in at {clock(day.first_in)} (KST) · Client site (삼성전자)" in text
    assert "Today so far: 0 m" in text
    assert "This week: 0 m of 52 h · 52 h left" in text
    row = SlackMessage.objects.get(kind="attendance.checked_in")
    assert row.target == "UAGENT001" and row.object_id == str(day.pk)


def test_check_out_dm_counts_the_days_hours(team, slack, monkeypatch):
    alice = employee(team["agent"])
    # Pinned to a Wednesday afternoon (as tests/attendance/test_check_in_out.py pins it), so
    # the five-hour shift never crosses KST midnight whatever the hour of the run.
    now = kst(2026, 11, 18, 15, 0)
    monkeypatch.setattr(timezone, "now", lambda: now)
    # 5 h presence − 30 min statutory break = 4 h 30 m worked.
    started = now - timedelta(hours=5)
    attendance_check_in(employee=alice, location=Location.REMOTE, at=started, by=Actor(user=alice.user))
    attendance_check_out(employee=alice, at=now, by=Actor(user=alice.user))
    dms = delivered_dms(slack, "UAGENT001")
    # The check-in was five hours ago: too old for a "you checked in" DM; the check-out is fresh.
    assert len(dms) == 1
    text = content(dms[0])
    assert f"Checked out at {clock(now)} (KST) · Remote" in text
    assert "Today so far: 4 h 30 m" in text
    assert "4 h 30 m of 52 h · 47 h 30 m left" in text


def test_dms_speak_the_recipients_language(post, team, slack):
    attendance_command(post, "출근 재택", "UKOREAN01")
    (dm,) = delivered_dms(slack, "UKOREAN01")
    assert "재택" in content(dm)


def test_people_without_slack_get_no_dm_and_no_error(team, slack):
    nolink = employee(team["unlinked"])
    result = attendance_check_in(employee=nolink, by=Actor(user=nolink.user))
    assert result.work_day is not None
    assert not outbox_rows().exists()


def _fill_week(person, monday: date, days: int, hours: int = 11):
    """``days`` days of ``hours`` presence from 08:00 (11 h presence → 10 h worked)."""
    for offset in range(days):
        day = monday + timedelta(days=offset)
        start = kst(day.year, day.month, day.day, 8)
        by = Actor.system(job="test")
        punch_add(employee=person, at=start, direction=Direction.IN, by=by)
        punch_add(employee=person, at=start + timedelta(hours=hours), direction=Direction.OUT, by=by)


def test_threshold_and_cap_warn_the_person_and_the_manager_once(team, slack):
    alice = employee(team["agent"])
    last_monday = week_start_of(timezone.localdate()) - timedelta(days=7)
    _fill_week(alice, last_monday, 5)  # 50 h: over the 48 h warning
    person = delivered_dms(slack, "UAGENT001")
    manager = delivered_dms(slack, "UMANAGER1")
    assert len(person) == 1 and len(manager) == 1
    # A past week (reached by late punches) is named by its Monday, never "this week".
    week = day_label(last_monday)
    assert f"You worked 50 h in the week of {week} (warning at 48 h, cap 52 h)" in content(person[0])
    assert "this week" not in content(person[0]) and "That week is over" in content(person[0])
    manager_text = content(manager[0])
    assert f"이서연 worked 50 h in the week of {week}" in manager_text and "<@UAGENT001>" in manager_text
    assert "changed this past week" in manager_text  # a past week, reached by late punches

    # Saturday: 54 h, over the cap — a new warning; the threshold is not repeated.
    _fill_week(alice, last_monday + timedelta(days=5), 1, hours=5)
    person = delivered_dms(slack, "UAGENT001")
    manager = delivered_dms(slack, "UMANAGER1")
    assert len(person) == 2 and len(manager) == 2
    assert "over the 52 h cap" in content(person[1]) and "이서연" in content(manager[1])
    assert outbox_rows("attendance.weekly_threshold").count() == 2


def test_projected_breach_is_sent_once_to_person_and_manager(team, slack):
    alice = employee(team["agent"])
    kwargs = {
        "employee": alice,
        "manager": alice.manager,
        "week_start": week_start_of(timezone.localdate()),
        "week_minutes": 40 * 60,
        "current_week": True,
        "projected_minutes": 55 * 60,
        "cap_minutes": 52 * 60,
        "by": Actor.system(job="test"),
    }
    signals.weekly_breach_projected.send(sender=WorkDay, **kwargs)
    signals.weekly_breach_projected.send(sender=WorkDay, **kwargs)  # a replay: once-only
    person = delivered_dms(slack, "UAGENT001")
    manager = delivered_dms(slack, "UMANAGER1")
    assert len(person) == 1 and len(manager) == 1
    assert "At this pace you will work 55 h this week, over the 52 h cap." in content(person[0])
    assert "is on course for 55 h this week" in content(manager[0])


def test_missing_checkout_reminder_to_the_person_once(post, team, slack):
    attendance_command(post, "in", "UAGENT001")
    delivered_dms(slack, "UAGENT001")  # the check-in DM
    assert send_missing_checkout_reminders() == 1
    assert send_missing_checkout_reminders() == 0
    day = WorkDay.objects.get(employee=employee(team["agent"]))
    signals.missing_checkout.send(
        sender=WorkDay, employee=day.employee, manager=None, work_day=day, checked_in_at=day.first_in, by=None
    )  # a replayed signal: still one reminder
    dms = delivered_dms(slack, "UAGENT001")
    assert len(dms) == 2
    text = content(dms[1])
    assert f"You checked in at {clock(day.first_in)}" in text and "have not checked out" in text
    assert "Check out with `/attendance out`" in text and "Nothing was closed automatically." in text
    assert not delivered_dms(slack, "UMANAGER1")


def test_a_failing_receiver_never_undoes_the_punch(team, slack, monkeypatch):
    from integrations.slack.attendance import receivers as receivers

    def broken(*args, **kwargs):
        raise RuntimeError("render bug")

    monkeypatch.setattr(receivers, "punch_dm", broken)
    alice = employee(team["agent"])
    attendance_check_in(employee=alice, by=Actor(user=alice.user))
    assert WorkDay.objects.filter(employee=alice).exists()
    assert not delivered_dms(slack, "UAGENT001")  # the worker rendered it (and failed)
    assert WorkDay.objects.filter(employee=alice).exists()
    # Nothing is sent, but the failure is not silent: a failed outbox row says what broke.
    assert not outbox_rows().exclude(status=DeliveryStatus.FAILED).exists()
    failure = outbox_rows().get()
    assert failure.kind == "attendance.checked_in" and failure.error_code == "notification_error"
    assert "render bug" in failure.last_error and failure.record == alice


def test_a_fingerprint_reader_punch_dms_too_but_a_replayed_backlog_does_not(team, slack):
    from attendance.models import Device
    from attendance.services import punches_ingest

    alice = employee(team["agent"])
    Employee.objects.filter(pk=alice.pk).update(employee_no="H2001")
    device = Device.objects.create(code="seoul-hq-1f", name="본사 1층", location=Location.OFFICE, place="본사 1층")
    now = timezone.now()
    old = now - timedelta(days=2)
    punches_ingest(
        device=device,
        items=[
            {"event_id": "old-in", "employee": "H2001", "timestamp": old.isoformat(), "direction": "in"},
            {"event_id": "new-in", "employee": "H2001", "timestamp": now.isoformat(), "direction": "in"},
        ],
    )
    (dm,) = delivered_dms(slack, "UAGENT001")
    assert f"Checked in at {clock(now)} (KST) · Office" in content(dm)
