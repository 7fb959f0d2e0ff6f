"""Correction requests: who may ask and decide, applying the times, the audit trail keeps both values."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from attendance import signals
from attendance.models import Correction, DayState, WorkDay
from attendance.services import correction_cancel, correction_decide, correction_request, punches_ingest
from erp.audit.models import AuditEvent
from erp.audit.selectors import audit_trail
from erp.core.errors import ConflictError

from .conftest import kst

DAY = date(2026, 11, 16)


@pytest.fixture
def forgotten_checkout(alice, device):
    punches_ingest(
        device=device, items=[{"event_id": "1", "employee": "H1002", "timestamp": kst(2026, 11, 16, 9).isoformat()}]
    )
    return WorkDay.objects.get(employee=alice, date=DAY)


def ask(employee, **overrides):
    values = {
        "employee": employee,
        "date": DAY,
        "proposed_in": None,
        "proposed_out": kst(2026, 11, 16, 18, 30),
        "reason": "퇴근 체크를 잊었습니다",
        "by": employee.user,
    }
    return correction_request(**(values | overrides))


def test_request_and_approve_applies_times_with_audit(alice, manager, forgotten_checkout):
    seen = []
    signals.correction_requested.connect(lambda **kw: seen.append(kw), weak=False, dispatch_uid="t-req")
    try:
        correction = ask(alice)
    finally:
        signals.correction_requested.disconnect(dispatch_uid="t-req")
    assert seen[0]["approvers"] == [manager]
    assert forgotten_checkout.state == DayState.MISSING_CHECKOUT
    correction_decide(correction=correction, approve=True, note="확인", by=manager.user)
    day = WorkDay.objects.get(pk=forgotten_checkout.pk)
    assert day.state == DayState.DONE and day.last_out == kst(2026, 11, 16, 18, 30) and day.worked_minutes == 510
    assert day.corrected_out == kst(2026, 11, 16, 18, 30)
    event = audit_trail(day).get(action="corrected")
    assert event.changes["last_out"] == [None, "2026-11-16T18:30:00+09:00"]  # shown in KST
    assert event.changes["state"] == ["missing_checkout", "done"]
    assert event.context["reason"] == "퇴근 체크를 잊었습니다"
    correction.refresh_from_db()
    assert correction.status == "approved" and correction.decided_by == manager.user
    assert correction.previous_in == kst(2026, 11, 16, 9) and correction.previous_out is None


def test_correction_survives_later_punches(alice, manager, device, forgotten_checkout):
    correction_decide(correction=ask(alice), approve=True, by=manager.user)
    punches_ingest(
        device=device, items=[{"event_id": "2", "employee": "H1002", "timestamp": kst(2026, 11, 16, 17).isoformat()}]
    )
    assert WorkDay.objects.get(pk=forgotten_checkout.pk).last_out == kst(2026, 11, 16, 18, 30)


def test_reject_keeps_the_day(alice, manager, forgotten_checkout):
    correction = correction_decide(correction=ask(alice), approve=False, note="근거 없음", by=manager.user)
    assert correction.status == "rejected"
    assert WorkDay.objects.get(pk=forgotten_checkout.pk).state == DayState.MISSING_CHECKOUT
    assert AuditEvent.objects.filter(action="rejected").get().context["note"] == "근거 없음"


def test_only_managers_decide(alice, bob, outsider, manager, admin_employee, forgotten_checkout):
    correction = ask(alice)
    for user in (alice.user, bob.user, outsider.user):
        with pytest.raises(PermissionDenied):
            correction_decide(correction=correction, approve=True, by=user)
    correction_decide(correction=correction, approve=True, by=admin_employee.user)
    with pytest.raises(ConflictError):
        correction_decide(correction=correction, approve=False, by=manager.user)


def test_one_pending_request_per_day(alice, forgotten_checkout):
    ask(alice)
    with pytest.raises(ConflictError):
        ask(alice)


@pytest.mark.parametrize(
    "overrides",
    [
        {"reason": "  "},
        {"proposed_out": None},
        {"proposed_in": kst(2026, 11, 16, 19), "proposed_out": kst(2026, 11, 16, 18)},
        {"proposed_in": kst(2026, 11, 17, 9)},
        {"date": date(2999, 1, 1)},
    ],
)
def test_invalid_requests_are_refused(alice, overrides):
    with pytest.raises(ValidationError):
        ask(alice, **overrides)


def test_cannot_ask_for_someone_else_without_managing_them(alice, bob):
    with pytest.raises(PermissionDenied):
        ask(alice, by=bob.user)


def test_correction_for_a_day_without_punches(alice, manager):
    correction = ask(alice, proposed_in=kst(2026, 11, 16, 9), proposed_out=kst(2026, 11, 16, 18))
    correction_decide(correction=correction, approve=True, by=manager.user)
    day = WorkDay.objects.get(employee=alice, date=DAY)
    assert (day.state, day.worked_minutes, day.punch_count) == (DayState.DONE, 480, 0)


def test_cancel(alice, forgotten_checkout):
    correction = correction_cancel(correction=ask(alice), by=alice.user)
    assert correction.status == Correction.Status.CANCELLED
    ask(alice)  # a new request is possible again


# --- four-eyes rule: whoever requested a correction never decides it ------------------------


def test_manager_cannot_approve_a_correction_they_requested(alice, manager, admin_employee, forgotten_checkout):
    correction = ask(alice, by=manager.user)
    with pytest.raises(PermissionDenied, match="another approver"):
        correction_decide(correction=correction, approve=True, by=manager.user)
    correction.refresh_from_db()
    assert correction.status == Correction.Status.PENDING
    assert WorkDay.objects.get(pk=forgotten_checkout.pk).last_out is None
    # Another approver (here the admin) decides.
    correction_decide(correction=correction, approve=True, by=admin_employee.user)
    correction.refresh_from_db()
    assert correction.status == Correction.Status.APPROVED and correction.decided_by == admin_employee.user


def test_self_requested_corrections_are_not_offered_to_the_requester(alice, manager, admin_employee):
    from attendance.selectors import approvers_for, can_decide_correction, corrections_to_decide

    correction = ask(alice, by=manager.user)
    assert not can_decide_correction(manager.user, correction)
    assert correction not in corrections_to_decide(manager.user)
    assert can_decide_correction(admin_employee.user, correction)
    assert correction in corrections_to_decide(admin_employee.user)
    # The Slack DM goes to someone who can decide, not back to the requesting manager.
    assert manager not in approvers_for(alice, requested_by=manager.user)
    assert admin_employee in approvers_for(alice, requested_by=manager.user)


def test_requested_correction_notifies_other_approvers(alice, manager, admin_employee):
    seen = []
    signals.correction_requested.connect(lambda **kw: seen.append(kw), weak=False, dispatch_uid="t-4eyes")
    try:
        ask(alice, by=manager.user)
    finally:
        signals.correction_requested.disconnect(dispatch_uid="t-4eyes")
    assert manager not in seen[0]["approvers"] and admin_employee in seen[0]["approvers"]
