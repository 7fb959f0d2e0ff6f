"""Portal pages of leave: my leave and balance, a new request, approvals, the team calendar,
the payroll export."""

import calendar as month_calendar
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from erp.audit.actor import Actor
from erp.audit.models import Source
from erp.core.errors import DomainError, error_text
from erp.core.spreadsheet import csv_encoding
from erp.people.selectors import employee_of
from erp.workcalendar.calendar import get_calendar

from . import exports
from .forms import DecisionForm, LeaveRequestForm, parse_month
from .models import LeaveRequest
from .selectors import (
    approved_between,
    balance,
    calendar_people,
    can_decide,
    is_leave_admin,
    is_own_request,
    leave_days,
    my_requests,
    to_decide,
    visible_requests,
)
from .services import leave_cancel, leave_decide, leave_request


def _me(request):
    me = employee_of(request.user)
    if me is None:
        raise PermissionDenied(_("Leave is for people with an employee profile."))
    return me


def _actor(request) -> Actor:
    return Actor.for_request(request, source=Source.WEB)


@login_required
def mine(request):
    me = _me(request)
    return render(
        request,
        "leave/mine.html",
        {
            "balance": balance(me),
            "requests": my_requests(me)[:50],
            "to_decide_count": to_decide(request.user).count(),
            "today": timezone.localdate(),
        },
    )


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def new(request):
    me = _me(request)
    if request.method == "POST":
        form = LeaveRequestForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                leave_request(
                    employee=me,
                    leave_type=data["leave_type"],
                    start_date=data["start_date"],
                    end_date=data["end_date"] or data["start_date"],
                    part=data["part"],
                    reason=data["reason"],
                    by=_actor(request),
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            except (DomainError, PermissionDenied) as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(request, _("Your leave request was sent to your manager."))
                return redirect("leave:mine")
    else:
        form = LeaveRequestForm(initial={"start_date": request.GET.get("date") or timezone.localdate()})
    return render(request, "leave/form.html", {"form": form, "balance": balance(me)})


@login_required
def approvals(request):
    me = employee_of(request.user)
    if not is_leave_admin(request.user) and not (me and me.is_manager):
        raise PermissionDenied(_("Only managers and leave admins decide leave."))
    pending = list(to_decide(request.user)[:200])
    rows = [(leave, balance(leave.employee, leave.start_date)) for leave in pending]
    return render(request, "leave/approvals.html", {"rows": rows})


@login_required
def detail(request, pk: int):
    leave = get_object_or_404(visible_requests(request.user), pk=pk)
    return render(
        request,
        "leave/detail.html",
        {
            "leave": leave,
            "can_decide": leave.status == LeaveRequest.Status.PENDING and can_decide(request.user, leave),
            "can_cancel": leave.is_open and (is_own_request(request.user, leave) or is_leave_admin(request.user)),
        },
    )


@login_required
@require_POST
def decide(request, pk: int):
    leave = get_object_or_404(visible_requests(request.user), pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or reject."))
        return redirect("leave:approvals")
    approve = form.cleaned_data["decision"] == "approve"
    try:
        leave_decide(request=leave, approve=approve, note=form.cleaned_data["note"], by=_actor(request))
    except (ValidationError, DomainError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        name = leave.employee.display_name
        if approve:
            messages.success(request, _("You approved the leave of %(name)s.") % {"name": name})
        else:
            messages.success(request, _("You rejected the leave of %(name)s.") % {"name": name})
    return redirect("leave:approvals")


@login_required
@require_POST
def cancel(request, pk: int):
    leave = get_object_or_404(visible_requests(request.user), pk=pk)
    try:
        leave_cancel(request=leave, by=_actor(request))
    except (ValidationError, DomainError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The leave was cancelled."))
    return redirect("leave:detail", pk=leave.pk)


def _month(request) -> tuple[date, date]:
    year, month = parse_month(request.GET.get("month"), timezone.localdate())
    first = date(year, month, 1)
    return first, date(year, month, month_calendar.monthrange(year, month)[1])


@login_required
def team_calendar(request):
    """Who is away on which working day of the month, for the people the reader plans with."""
    if not is_leave_admin(request.user):
        _me(request)
    first, last = _month(request)
    people = list(calendar_people(request.user).order_by("department__name", "display_name")[:300])
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    leaves = leave_days(people, first, last, user=request.user)
    away_ids = {employee_id for employee_id, _day in leaves}
    cal = get_calendar()
    rows = [
        {"person": person, "cells": [(day, leaves.get((person.pk, day), ())) for day in days]}
        for person in people
        if person.pk in away_ids
    ]
    previous = first - timedelta(days=1)
    return render(
        request,
        "leave/calendar.html",
        {
            "first": first,
            "days": [(day, cal.is_working_day(day)) for day in days],
            "rows": rows,
            "prev_month": f"{previous:%Y-%m}",
            "next_month": f"{last + timedelta(days=1):%Y-%m}",
            "today": timezone.localdate(),
        },
    )


@login_required
def export(request):
    """?month=YYYY-MM[&encoding=cp949]: approved leave of the month for payroll (leave admins)."""
    if not is_leave_admin(request.user):
        raise PermissionDenied(_("Only leave admins export leave."))
    encoding = csv_encoding(request.GET.get("encoding"))
    if encoding is None:
        return HttpResponse(_("Unknown CSV encoding."), status=400, content_type="text/plain; charset=utf-8")
    first, last = _month(request)
    leaves = (
        approved_between(calendar_people(request.user), first, last)
        .select_related("employee__department")
        .order_by("employee__display_name", "start_date")
    )
    response = HttpResponse(
        exports.to_csv(leaves, first, last, encoding=encoding), content_type=f"text/csv; charset={encoding}"
    )
    response["Content-Disposition"] = f'attachment; filename="leave-{first:%Y-%m}.csv"'
    return response
