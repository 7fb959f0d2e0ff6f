"""Correction requests: an employee proposes times with a reason; a manager decides."""

from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from erp.audit.actor import as_actor
from erp.audit.services import audit_record, diff, snapshot
from erp.core.errors import ConflictError
from erp.people.models import Employee
from erp.people.selectors import employee_of
from erp.workcalendar.calendar import KST

from ..derivation import week_start_of
from ..models import Correction, WorkDay
from ..selectors import (
    SELF_REQUESTED_MESSAGE,
    approvers_for,
    can_decide_correction,
    can_view_employee,
    is_own_request,
)
from ..signals import correction_decided, correction_requested
from .derive import lock_employees, rederive
from .weekly import check_weekly_limits

REASON_MAX = 1000
_AUDITED = ("first_in", "last_out", "state", "worked_minutes", "break_minutes")


def _kst_snapshot(work_day: WorkDay | None) -> dict:
    """Audited fields with times in KST, so the trail reads like the calendar."""
    values = snapshot(work_day, _AUDITED) if work_day else dict.fromkeys(_AUDITED)
    return {k: v.astimezone(KST) if isinstance(v, datetime) else v for k, v in values.items()}


def _validate_times(day: date, proposed_in: datetime | None, proposed_out: datetime | None) -> None:
    today = timezone.localdate()
    if day > today:
        raise ValidationError({"date": _("You cannot correct a day in the future.")})
    if proposed_in is None and proposed_out is None:
        raise ValidationError(_("Give a check-in time, a check-out time, or both."))
    earliest = datetime.combine(day, time.min, KST)
    # A shift belongs to the day it started: its check-out may fall on the next day.
    latest = datetime.combine(day + timedelta(days=2), time.min, KST)
    if proposed_in is not None and not earliest <= proposed_in < datetime.combine(
        day + timedelta(days=1), time.min, KST
    ):
        raise ValidationError({"proposed_in": _("The check-in must be on the corrected day.")})
    if proposed_out is not None and not earliest < proposed_out < latest:
        raise ValidationError({"proposed_out": _("The check-out must be on the corrected day or the day after.")})
    if proposed_in and proposed_out and proposed_out <= proposed_in:
        raise ValidationError({"proposed_out": _("The check-out must be after the check-in.")})
    if proposed_out is not None and proposed_out > timezone.now():
        raise ValidationError({"proposed_out": _("The check-out cannot be in the future.")})


def correction_request(
    *,
    employee: Employee,
    date: date,
    proposed_in: datetime | None,
    proposed_out: datetime | None,
    reason: str,
    by,
) -> Correction:
    """Ask to correct ``employee``'s times on ``date``. One pending request per day.

    The employee themself, or someone who manages them, may ask. Side effects: the Correction,
    an audit event and ``correction_requested`` (with the approvers, for their Slack DMs).
    """
    actor = as_actor(by)
    user = actor.user
    if user is not None and employee_of(user) != employee and not can_view_employee(user, employee):
        raise PermissionDenied(_("You cannot request corrections for this person."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the times need correcting.")})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("At most %(n)d characters.") % {"n": REASON_MAX}})
    _validate_times(date, proposed_in, proposed_out)
    try:
        with transaction.atomic():
            correction = Correction.objects.create(
                employee=employee,
                date=date,
                proposed_in=proposed_in,
                proposed_out=proposed_out,
                reason=reason,
                requested_by=user if getattr(user, "pk", None) else None,
            )
            audit_record(correction, "requested", by=actor, reason=reason)
            correction_requested.send(
                sender=Correction,
                correction=correction,
                employee=employee,
                approvers=approvers_for(employee, requested_by=correction.requested_by),
                by=actor,
            )
    except IntegrityError:
        raise ConflictError(_("There is already a pending correction for this day."), code="correction_pending")
    return correction


def correction_decide(*, correction: Correction, approve: bool, note: str = "", by) -> Correction:
    """Approve (apply the proposed times to the work day) or reject a pending correction.

    Only the employee's manager, a manager of their department or an admin decides, never the
    employee and never whoever requested it (four-eyes rule: PermissionDenied with a message
    saying another approver must decide). Side effects: the correction, on approval the WorkDay's corrected
    times and re-derived figures (audit event with old → new values, weekly signals), audit
    events, ``correction_decided``. A second decision is refused (ConflictError).
    """
    actor = as_actor(by)
    with transaction.atomic():
        correction = Correction.objects.select_for_update().select_related("employee").get(pk=correction.pk)
        if correction.status != Correction.Status.PENDING:
            raise ConflictError(_("This correction was already decided."), code="already_decided")
        if actor.user is not None and is_own_request(actor.user, correction):
            raise PermissionDenied(SELF_REQUESTED_MESSAGE)
        if actor.user is not None and not can_decide_correction(actor.user, correction):
            raise PermissionDenied(_("You cannot decide this correction."))
        employee = correction.employee
        lock_employees([employee.pk])
        work_day = WorkDay.objects.filter(employee=employee, date=correction.date).first()
        before = _kst_snapshot(work_day)
        correction.previous_in = before["first_in"]
        correction.previous_out = before["last_out"]
        if approve:
            if work_day is None:
                work_day = WorkDay.objects.create(
                    employee=employee, date=correction.date, week_start=week_start_of(correction.date)
                )
            work_day.corrected_in = correction.proposed_in or work_day.corrected_in
            work_day.corrected_out = correction.proposed_out or work_day.corrected_out
            work_day.save(update_fields=["corrected_in", "corrected_out"])
            rederive({employee.pk: {correction.date}}, by=actor)
            work_day.refresh_from_db()
            audit_record(
                work_day,
                "corrected",
                by=actor,
                changes=diff(before, _kst_snapshot(work_day)),
                correction=correction.pk,
                reason=correction.reason,
            )
            check_weekly_limits({employee.pk: {correction.date}}, by=actor)
        old_status = correction.status
        correction.status = Correction.Status.APPROVED if approve else Correction.Status.REJECTED
        correction.decided_by = actor.user if getattr(actor.user, "pk", None) else None
        correction.decided_at = timezone.now()
        correction.decision_note = (note or "").strip()[:REASON_MAX]
        correction.save()
        audit_record(
            correction,
            "approved" if approve else "rejected",
            by=actor,
            changes={"status": [old_status, correction.status]},
            note=correction.decision_note,
        )
        correction_decided.send(sender=Correction, correction=correction, employee=employee, approved=approve, by=actor)
    return correction


def correction_cancel(*, correction: Correction, by) -> Correction:
    """Whoever requested a pending correction withdraws it (selectors.is_own_request). Audited."""
    actor = as_actor(by)
    with transaction.atomic():
        correction = Correction.objects.select_for_update().get(pk=correction.pk)
        if correction.status != Correction.Status.PENDING:
            raise ConflictError(_("This correction was already decided."), code="already_decided")
        if actor.user is not None and not is_own_request(actor.user, correction):
            raise PermissionDenied(_("Only the requester can withdraw a correction."))
        correction.status = Correction.Status.CANCELLED
        correction.save(update_fields=["status"])
        audit_record(correction, "cancelled", by=actor, changes={"status": ["pending", "cancelled"]})
    return correction
