"""Request, approve, reject, cancel: the rules, the audit trail, the balance."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from erp.audit.actor import Actor
from erp.audit.models import AuditEvent
from erp.core.errors import ConflictError
from leave.models import LeaveAdjustment, LeavePolicy, LeaveRequest
from leave.selectors import approvers_for, balance, to_decide
from leave.services import leave_approve, leave_cancel, leave_reject, leave_request

from .conftest import MONDAY, kind

pytestmark = pytest.mark.django_db


def ask(employee, code="annual", first=MONDAY, last=None, part="full", reason="가족 여행"):
    return leave_request(
        employee=employee,
        leave_type=kind(code),
        start_date=first,
        end_date=last or first,
        part=part,
        reason=reason,
        by=Actor(user=employee.user),
    )


def events(leave):
    rows = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(LeaveRequest), object_id=str(leave.pk)
    )
    return list(rows.values_list("action", flat=True).order_by("pk"))


def test_a_request_counts_working_days_only_and_is_audited(team):
    leave = ask(team["alice"], first=MONDAY + timedelta(days=4), last=MONDAY + timedelta(days=7))  # Fri → Mon
    assert leave.days == Decimal("2") and leave.status == LeaveRequest.Status.PENDING
    assert events(leave) == ["requested"]
    assert approvers_for(team["alice"]) == [team["manager"]]


def test_half_and_quarter_days(team):
    assert ask(team["alice"], "half_am").days == Decimal("0.5")
    afternoon = ask(team["alice"], "half_pm")
    assert afternoon.part == "pm"  # fixed by the type
    with pytest.raises(ValidationError) as error:
        ask(team["bob"], "quarter")  # the requester must choose the half
    assert "part" in error.value.message_dict
    assert ask(team["bob"], "quarter", part="am").days == Decimal("0.25")
    with pytest.raises(ValidationError) as error:
        ask(team["bob"], "half_am", first=MONDAY + timedelta(days=1), last=MONDAY + timedelta(days=2))
    assert "end_date" in error.value.message_dict


def test_overlaps_are_refused_with_a_clear_message_but_two_halves_fit(team):
    ask(team["alice"], first=MONDAY, last=MONDAY + timedelta(days=2))
    with pytest.raises(ValidationError) as error:
        ask(team["alice"], first=MONDAY + timedelta(days=2), last=MONDAY + timedelta(days=3))
    message = error.value.message_dict["start_date"][0]
    assert "12월 7일 (월)" in message and "12월 9일 (수)" in message
    day = MONDAY + timedelta(days=4)
    ask(team["alice"], "half_am", first=day)
    ask(team["alice"], "half_pm", first=day)
    with pytest.raises(ValidationError):
        ask(team["alice"], "quarter", first=day, part="am")


def test_no_reason_no_working_day_and_someone_else_are_refused(team):
    with pytest.raises(ValidationError):
        ask(team["alice"], reason="  ")
    with pytest.raises(ValidationError) as error:
        ask(team["alice"], first=date(2026, 12, 12), last=date(2026, 12, 13))  # a weekend
    assert "start_date" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        leave_request(
            employee=team["alice"], leave_type=kind("annual"), start_date=MONDAY, reason="x", by=team["bob"].user
        )


def test_the_manager_approves_and_the_balance_follows(team):
    alice = team["alice"]
    before = balance(alice)
    assert before.known and before.granted == 17  # hired 2021-07-01: five full years on 2026-07-01
    leave = ask(alice, first=MONDAY, last=MONDAY + timedelta(days=1))
    assert balance(alice).pending == 2 and balance(alice).remaining == before.remaining
    assert list(to_decide(team["manager"].user)) == [leave]
    leave_approve(request=leave, note="즐거운 여행 되세요", by=team["manager"].user)
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.APPROVED and leave.decision_note == "즐거운 여행 되세요"
    assert balance(alice).used == 2 and balance(alice).remaining == before.remaining - 2
    assert events(leave) == ["requested", "approved"]
    with pytest.raises(ConflictError):
        leave_reject(request=leave, by=team["manager"].user)


def test_cancelling_approved_leave_restores_the_balance(team):
    alice = team["alice"]
    start = balance(alice).remaining
    leave = ask(alice)
    leave_approve(request=leave, by=team["manager"].user)
    assert balance(alice).remaining == start - 1
    leave_cancel(request=leave, by=alice.user)
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.CANCELLED and balance(alice).remaining == start
    assert events(leave) == ["requested", "approved", "cancelled"]
    # The day is free again.
    ask(alice)


def test_a_pending_request_is_withdrawn_by_its_requester_only(team):
    leave = ask(team["alice"])
    with pytest.raises(PermissionDenied):
        leave_cancel(request=leave, by=team["bob"].user)
    leave_cancel(request=leave, by=team["alice"].user)
    with pytest.raises(ConflictError):
        leave_cancel(request=leave, by=team["alice"].user)


def test_approved_leave_under_way_is_cancelled_by_a_leave_admin_only(team):
    today = date(2026, 12, 2)
    leave = ask(team["alice"], first=today)
    leave_approve(request=leave, by=team["manager"].user)
    with pytest.raises(ValidationError):
        leave_cancel(request=leave, by=team["alice"].user)
    leave_cancel(request=leave, by=team["hr"].user)


def test_who_decides(team):
    leave = ask(team["alice"])
    for outsider in (team["alice"], team["bob"], team["other"]):
        with pytest.raises(PermissionDenied):
            leave_approve(request=leave, by=outsider.user)
    assert not to_decide(team["other"].user).exists()
    assert list(to_decide(team["hr"].user)) == [leave]
    leave_reject(request=leave, note="팀 일정과 겹칩니다", by=team["hr"].user)
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.REJECTED


def test_annual_leave_beyond_the_balance_is_refused_but_sick_leave_is_not(team):
    bob = team["bob"]  # hired 2025-02-28: 11 monthly days, all arisen by 2026-01-28 … until 2026-02-28: 15
    current = balance(bob)
    LeaveAdjustment.objects.create(employee=bob, effective_date=date(2026, 12, 1), days=-current.remaining, reason="x")
    with pytest.raises(ValidationError) as error:
        ask(bob)
    assert "leave_type" in error.value.message_dict
    ask(bob, "sick", reason="독감")


def test_a_company_policy_overrides_the_statute(team):
    LeavePolicy.objects.create(basis=LeavePolicy.Basis.FIXED, fixed_days=Decimal(20))
    current = balance(team["bob"])
    assert current.granted == 20 and current.period_start == date(2026, 1, 1)


def test_a_person_without_hire_date_has_no_balance_and_is_not_blocked(team):
    team["bob"].leave_profile.delete()
    assert not balance(team["bob"]).known
    ask(team["bob"])
