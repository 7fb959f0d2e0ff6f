"""Writes of leave: request, approve / reject, cancel. Atomic, audited, one signal each."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from erp.audit.actor import as_actor
from erp.audit.services import audit_record, audited_delete, audited_save
from erp.core.dates import day_label
from erp.core.errors import ConflictError
from erp.people.models import Employee
from erp.people.selectors import employee_of
from erp.workcalendar.calendar import get_calendar

from .models import DayPart, LeaveRequest, LeaveType
from .numbers import plain_number
from .selectors import OPEN, approvers_for, balance, can_decide, is_leave_admin, is_own_request
from .signals import leave_cancelled, leave_decided, leave_requested

REASON_MAX = 1000
MAX_SPAN_DAYS = 92  # one request covers at most about a quarter (parental leave is not this module)


def working_days(first: date, last: date, calendar=None) -> int:
    calendar = calendar or get_calendar()
    return sum(1 for n in range((last - first).days + 1) if calendar.is_working_day(first + timedelta(days=n)))


def _part_for(leave_type: LeaveType, part: str) -> str:
    if leave_type.is_full_day:
        return DayPart.FULL
    if leave_type.part:
        return leave_type.part
    if part not in (DayPart.AM, DayPart.PM):
        raise ValidationError({"part": _("Choose the morning or the afternoon.")})
    return part


def request_days(leave_type: LeaveType, first: date, last: date) -> Decimal:
    """Days a request takes: working days × the type's fraction (a partial day is one date)."""
    return Decimal(working_days(first, last)) * leave_type.day_fraction


def _overlapping(employee: Employee, first: date, last: date, part: str):
    """Open requests of ``employee`` that share a day with the new one. A morning and an
    afternoon on the same day do not clash; anything else on a shared day does."""
    clashes = LeaveRequest.objects.filter(
        employee=employee, status__in=OPEN, start_date__lte=last, end_date__gte=first
    ).select_related("leave_type")
    return [c for c in clashes if part == DayPart.FULL or c.part == DayPart.FULL or c.part == part]


def _validate(employee, leave_type, first, last, part, reason) -> tuple[str, str, Decimal]:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Please give a reason.")})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("At most %(n)d characters.") % {"n": REASON_MAX}})
    if leave_type is None or not leave_type.is_active:
        raise ValidationError({"leave_type": _("Choose a kind of leave.")})
    if last < first:
        raise ValidationError({"end_date": _("The last day cannot be before the first day.")})
    if (last - first).days >= MAX_SPAN_DAYS:
        raise ValidationError({"end_date": _("One request covers at most %(n)d days.") % {"n": MAX_SPAN_DAYS}})
    if not leave_type.is_full_day and first != last:
        raise ValidationError({"end_date": _("A partial day is requested for one date only.")})
    part = _part_for(leave_type, part)
    days = request_days(leave_type, first, last)
    if days <= 0:
        raise ValidationError({"start_date": _("There is no working day in the chosen dates.")})
    return reason, part, days


def leave_request(
    *,
    employee: Employee,
    leave_type: LeaveType,
    start_date: date,
    end_date: date | None = None,
    part: str = DayPart.FULL,
    reason: str,
    by,
) -> LeaveRequest:
    """Ask for leave. The person themself, or a leave admin on their behalf, may ask.

    Refused with a form error: no reason, no working day, a partial day over several dates, an
    overlap with a pending or approved request, or (annual leave) more days than are left.
    Side effects: the request, an audit event, ``leave_requested`` with the approvers.
    """
    actor = as_actor(by)
    user = actor.user
    if user is not None and employee_of(user) != employee and not is_leave_admin(user):
        raise PermissionDenied(_("You cannot request leave for this person."))
    end_date = end_date or start_date
    reason, part, days = _validate(employee, leave_type, start_date, end_date, part, reason)
    with transaction.atomic():
        # One request at a time per person: the overlap and balance checks below hold until commit.
        Employee.objects.select_for_update().filter(pk=employee.pk).first()
        clashes = _overlapping(employee, start_date, end_date, part)
        if clashes:
            clash = clashes[0]
            raise ValidationError(
                {
                    "start_date": _("You already have %(kind)s from %(first)s to %(last)s (%(status)s).")
                    % {
                        "kind": clash.leave_type.label,
                        "first": day_label(clash.start_date),
                        "last": day_label(clash.end_date),
                        "status": clash.get_status_display(),
                    }
                }
            )
        if leave_type.deducts_annual:
            _check_balance(employee, start_date, days)
        leave = LeaveRequest.objects.create(
            employee=employee,
            leave_type=leave_type,
            start_date=start_date,
            end_date=end_date,
            part=part,
            days=days,
            reason=reason,
            requested_by=user if getattr(user, "pk", None) else None,
        )
        audit_record(
            leave, "requested", by=actor, reason=reason, days=str(days), dates=f"{start_date}~{end_date}", part=part
        )
        leave_requested.send(
            sender=LeaveRequest,
            request=leave,
            employee=employee,
            approvers=approvers_for(employee, requested_by=leave.requested_by),
            by=actor,
        )
    return leave


def _check_balance(employee: Employee, on: date, days: Decimal, *, exclude_request: int | None = None) -> None:
    current = balance(employee, on, exclude_request=exclude_request)
    if current.known and days > current.available:
        raise ValidationError(
            {
                "leave_type": _("Only %(left)s days of annual leave are left; this request needs %(days)s.")
                % {"left": plain_number(current.available), "days": plain_number(days)}
            }
        )


def leave_decide(*, request: LeaveRequest, approve: bool, note: str = "", by) -> LeaveRequest:
    """Approve or reject a pending request (its approver: selectors.can_decide).

    A second decision is refused (ConflictError); approving annual leave checks the balance
    again (an adjustment may have changed it). Side effects: the request, an audit event,
    ``leave_decided``.
    """
    actor = as_actor(by)
    with transaction.atomic():
        leave = (
            LeaveRequest.objects.select_for_update().select_related("employee__user", "leave_type").get(pk=request.pk)
        )
        if leave.status != LeaveRequest.Status.PENDING:
            raise ConflictError(_("This leave request was already decided or cancelled."), code="already_decided")
        if actor.user is not None and is_own_request(actor.user, leave):
            raise PermissionDenied(_("You cannot decide your own leave request; another approver must decide it."))
        if actor.user is not None and not can_decide(actor.user, leave):
            raise PermissionDenied(_("You cannot decide this leave request."))
        if approve and leave.leave_type.deducts_annual:
            _check_balance(leave.employee, leave.start_date, leave.days, exclude_request=leave.pk)
        old = leave.status
        leave.status = LeaveRequest.Status.APPROVED if approve else LeaveRequest.Status.REJECTED
        leave.decided_by = actor.user if getattr(actor.user, "pk", None) else None
        leave.decided_at = timezone.now()
        leave.decision_note = (note or "").strip()[:REASON_MAX]
        leave.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
        audit_record(
            leave,
            "approved" if approve else "rejected",
            by=actor,
            changes={"status": [old, leave.status]},
            note=leave.decision_note,
        )
        leave_decided.send(sender=LeaveRequest, request=leave, employee=leave.employee, approved=approve, by=actor)
    return leave


def leave_approve(*, request: LeaveRequest, note: str = "", by) -> LeaveRequest:
    return leave_decide(request=request, approve=True, note=note, by=by)


def leave_reject(*, request: LeaveRequest, note: str = "", by) -> LeaveRequest:
    return leave_decide(request=request, approve=False, note=note, by=by)


def leave_cancel(*, request: LeaveRequest, by) -> LeaveRequest:
    """The requester withdraws a pending request, or cancels an approved one that has not begun
    (the days return to the balance: it only counts approved requests). A leave admin may
    also cancel an approved leave already under way. Audited; ``leave_cancelled``."""
    actor = as_actor(by)
    user = actor.user
    with transaction.atomic():
        leave = (
            LeaveRequest.objects.select_for_update().select_related("employee__user", "leave_type").get(pk=request.pk)
        )
        if not leave.is_open:
            raise ConflictError(_("This leave request was already rejected or cancelled."), code="not_open")
        admin = user is None or is_leave_admin(user)
        if not admin and not is_own_request(user, leave):
            raise PermissionDenied(_("Only the requester can cancel this leave."))
        was_approved = leave.status == LeaveRequest.Status.APPROVED
        if was_approved and not admin and leave.start_date <= timezone.localdate():
            raise ValidationError(
                _("This leave has already begun and can no longer be cancelled here; please ask a leave admin.")
            )
        old = leave.status
        leave.status = LeaveRequest.Status.CANCELLED
        leave.cancelled_at = timezone.now()
        leave.save(update_fields=["status", "cancelled_at", "updated_at"])
        audit_record(leave, "cancelled", by=actor, changes={"status": [old, leave.status]})
        leave_cancelled.send(
            sender=LeaveRequest, request=leave, employee=leave.employee, was_approved=was_approved, by=actor
        )
    return leave


# --- configuration edited in the admin (audited like every other write) -----------------------


def leave_type_save(*, leave_type: LeaveType, by) -> LeaveType:
    return audited_save(leave_type, by=by)


def leave_type_delete(*, leave_type: LeaveType, by) -> None:
    audited_delete(leave_type, by=by)


def leave_profile_save(*, profile, by):
    return audited_save(profile, by=by)


def leave_profile_delete(*, profile, by) -> None:
    audited_delete(profile, by=by)


def leave_policy_save(*, policy, by):
    return audited_save(policy, by=by)


def leave_policy_delete(*, policy, by) -> None:
    audited_delete(policy, by=by)


def leave_adjustment_save(*, adjustment, by):
    return audited_save(adjustment, by=by)


def leave_adjustment_delete(*, adjustment, by) -> None:
    audited_delete(adjustment, by=by)
