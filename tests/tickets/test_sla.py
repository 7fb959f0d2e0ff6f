"""SLA arithmetic on the company calendar: weekends, Korean holidays, pending pauses, 24×7."""

from datetime import datetime

import pytest

from erp.workcalendar.calendar import KST
from erp.workcalendar.models import CompanyDayOff
from tickets.models import Level, SLAState
from tickets.services import sla_sweep, ticket_change_status, ticket_comment, ticket_resolve

H, M, L = Level.HIGH, Level.MEDIUM, Level.LOW


def kst(*args):
    return datetime(*args, tzinfo=KST)


def test_business_hours_due_skips_the_weekend(clock, new_ticket):
    clock.set(2026, 9, 18, 17, 30)  # Friday 17:30; P2 = 60 min first response, 480 min resolution
    ticket = new_ticket(impact=H, urgency=M)
    assert ticket.priority == "P2"
    assert ticket.first_response_due == kst(2026, 9, 21, 9, 30)  # Monday
    assert ticket.resolution_due == kst(2026, 9, 21, 16, 30)  # 30 min Friday + 450 min Monday
    assert ticket.sla_state == SLAState.ON_TRACK


def test_business_hours_due_skips_chuseok(clock, new_ticket):
    clock.set(2026, 9, 23, 16, 0)  # Wednesday before 추석 (Thu 24 – Sat 26)
    ticket = new_ticket(impact=H, urgency=M)
    assert ticket.first_response_due == kst(2026, 9, 23, 17, 0)
    # 120 min on Wednesday, then nothing until Monday the 28th: 360 min → 15:00.
    assert ticket.resolution_due == kst(2026, 9, 28, 15, 0)


def test_business_hours_due_skips_a_substitute_holiday(clock, new_ticket):
    clock.set(2026, 10, 2, 17, 0)  # Friday; 개천절 falls on Saturday, Monday 10-05 is its substitute day
    ticket = new_ticket(impact=M, urgency=M)  # P3: 240 min first response
    assert ticket.first_response_due == kst(2026, 10, 6, 12, 0)  # 60 Friday + 180 Tuesday


def test_company_day_off_counts_as_a_holiday(clock, new_ticket):
    from erp.workcalendar.calendar import invalidate_calendar

    CompanyDayOff.objects.create(date=datetime(2026, 9, 22).date(), name="창립기념일")
    invalidate_calendar()
    clock.set(2026, 9, 21, 17, 30)
    ticket = new_ticket(impact=H, urgency=M)
    assert ticket.first_response_due == kst(2026, 9, 23, 9, 30)


def test_pending_pauses_the_clock_and_resume_shifts_due(clock, new_ticket, people, signal_log):
    agent = people["agent"]
    clock.set(2026, 9, 21, 9, 0)  # Monday
    ticket = new_ticket(impact=H, urgency=M)  # P2 business hours: resolution due Mon 17:00
    assert ticket.resolution_due == kst(2026, 9, 21, 17, 0)
    clock.set(2026, 9, 21, 9, 30)
    ticket_comment(ticket=ticket, body="확인했습니다. 로그를 보내주세요.", by=agent)
    clock.set(2026, 9, 21, 11, 0)
    ticket = ticket_change_status(ticket=ticket, status="pending", by=agent)
    assert ticket.sla_state == SLAState.PAUSED

    clock.set(2026, 9, 21, 17, 30)  # past the original due moment, but the clock is paused
    assert sla_sweep() == 0
    ticket.refresh_from_db()
    assert not ticket.resolution_breached

    clock.set(2026, 9, 22, 11, 0)  # Tuesday 11:00: paused 420 + 120 business minutes
    ticket = ticket_change_status(ticket=ticket, status="in_progress", by=agent)
    assert ticket.sla_paused_minutes == pytest.approx(540)
    assert ticket.resolution_due == kst(2026, 9, 22, 17, 0)
    assert ticket.first_response_due == kst(2026, 9, 21, 10, 0)  # met before the pause: unchanged
    assert ticket.resolution_warn_at == kst(2026, 9, 22, 15, 0)  # 75% of 8 h, shifted by the pause
    assert ticket.sla_state == SLAState.ON_TRACK  # only 2 of 8 hours used


def test_at_risk_and_breach_signal_exactly_once_24x7(clock, new_ticket, signal_log, people):
    clock.set(2026, 9, 19, 10, 0)  # Saturday: P1 runs on a 24×7 clock
    ticket = new_ticket(impact=H, urgency=H, by=people["agent"], requester=people["requester"])  # a P1
    assert ticket.first_response_due == kst(2026, 9, 19, 10, 15)
    assert ticket.resolution_due == kst(2026, 9, 19, 14, 0)
    signal_log.clear()

    clock.set(2026, 9, 19, 10, 12)  # 80% of the first-response target elapsed
    sla_sweep()
    sla_sweep()
    ticket.refresh_from_db()
    assert ticket.sla_state == SLAState.AT_RISK and ticket.first_response_at_risk
    clock.set(2026, 9, 19, 10, 16)
    sla_sweep()
    sla_sweep()
    ticket.refresh_from_db()
    assert ticket.sla_state == SLAState.BREACHED and ticket.first_response_breached
    sent = [(name, kw["target"]) for name, kw in signal_log]
    assert sent == [("ticket_sla_at_risk", "first_response"), ("ticket_sla_breached", "first_response")]

    clock.set(2026, 9, 19, 14, 1)
    sla_sweep()
    sla_sweep()
    sent = [(name, kw["target"]) for name, kw in signal_log]
    assert sent.count(("ticket_sla_breached", "resolution")) == 1
    assert sent.count(("ticket_sla_at_risk", "resolution")) == 0  # went straight to breached


def test_late_first_reply_records_the_breach_once(clock, new_ticket, people, signal_log):
    clock.set(2026, 9, 21, 9, 0)
    ticket = new_ticket(impact=H, urgency=M)
    clock.set(2026, 9, 21, 10, 30)
    ticket_comment(ticket=ticket, body="늦어서 죄송합니다", by=people["agent"])
    ticket.refresh_from_db()
    assert ticket.first_response_breached and ticket.sla_state == SLAState.BREACHED
    sla_sweep()
    assert [kw["target"] for name, kw in signal_log if name == "ticket_sla_breached"] == ["first_response"]


def test_resolution_in_time_is_met_and_reopen_resumes(clock, new_ticket, people):
    clock.set(2026, 9, 21, 9, 0)
    ticket = new_ticket(impact=H, urgency=M)  # resolution due Mon 17:00
    clock.set(2026, 9, 21, 9, 30)
    ticket_comment(ticket=ticket, body="보고 있습니다", by=people["agent"])
    clock.set(2026, 9, 21, 12, 0)
    ticket = ticket_resolve(ticket=ticket, resolution="재부팅", by=people["agent"])
    assert ticket.sla_state == SLAState.MET
    clock.set(2026, 9, 22, 9, 0)  # reopened next morning: 6 business hours were resolved-time
    from tickets.services import ticket_reopen

    ticket = ticket_reopen(ticket=ticket, reason="재발", by=people["requester"])
    assert ticket.resolution_due == kst(2026, 9, 22, 14, 0)  # 3 h used, 5 h left
    assert ticket.sla_state == SLAState.ON_TRACK


def test_sla_state_is_queryable(clock, new_ticket, people):
    from tickets.models import Ticket

    clock.set(2026, 9, 19, 10, 0)
    new_ticket(impact=H, urgency=H, by=people["agent"], requester=people["requester"])  # a P1
    new_ticket(impact=L, urgency=L)
    clock.set(2026, 9, 19, 10, 20)
    sla_sweep()
    assert Ticket.objects.filter(sla_state=SLAState.BREACHED).count() == 1
    assert Ticket.objects.filter(sla_state=SLAState.ON_TRACK).count() == 1
