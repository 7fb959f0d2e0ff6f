"""Attendance pages: my month, check-in/out buttons, the team view, corrections, the payroll export."""

from datetime import timedelta
from functools import wraps

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from erp.audit.actor import Actor
from erp.audit.labels import labelled_events
from erp.audit.models import Source
from erp.audit.selectors import audit_trail
from erp.core.errors import DomainError, error_text
from erp.people.models import Department
from erp.people.selectors import employee_of

from . import exports
from .forms import BadQuery, CheckInForm, CorrectionForm, DecisionForm, default_times, parse_day, parse_id, parse_month
from .models import Correction
from .place_hints import check_in_initial
from .selectors import (
    SELF_REQUESTED_MESSAGE,
    attendance_status,
    can_decide_correction,
    can_view_correction,
    corrections_of,
    corrections_to_decide,
    day_summary,
    is_own_request,
    is_team_viewer,
    month_calendar,
    punches_around,
    team_overview,
    visible_employees,
    weeks_around_export,
    work_days_for_export,
)
from .services import (
    attendance_break_end,
    attendance_break_start,
    attendance_check_in,
    attendance_check_out,
    correction_cancel,
    correction_decide,
)
from .services import correction_request as request_correction
from .team_table import team_line

# The correction history in words (korean.md §3 #9), not raw action names.
CORRECTION_ACTIONS = {
    "requested": gettext_lazy("requested a correction"),
    "approved": gettext_lazy("approved the request"),
    "rejected": gettext_lazy("rejected the request"),
    "cancelled": gettext_lazy("withdrew the request"),
}


def answers_bad_query(view):
    """A malformed query-string value (BadQuery) is answered 400 with its message, not a 500."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except BadQuery as exc:
            return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")

    return wrapper


def _employee_or_403(request):
    employee = employee_of(request.user)
    if employee is None:
        raise PermissionDenied(_("Your login has no employee profile."))
    return employee


def _back(request, fallback="attendance:month"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(fallback)


def _shift_month(year: int, month: int, delta: int) -> str:
    index = year * 12 + (month - 1) + delta
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _month_page(request, employee, *, own: bool):
    today = timezone.localdate()
    year, month = parse_month(request.GET.get("month"), today)
    calendar = month_calendar(employee, year, month)
    context = {
        "person": employee,
        "own": own,
        "calendar": calendar,
        "today": today,
        "prev_month": _shift_month(year, month, -1),
        "next_month": _shift_month(year, month, 1),
        "this_month": f"{today.year:04d}-{today.month:02d}",
    }
    context.update(_leave_context(request, employee, calendar))
    if own:
        context["status"] = attendance_status(employee)
        context["check_in_form"] = CheckInForm(initial=check_in_initial(employee, today))
    return render(request, "attendance/month.html", context)


def _leave_context(request, employee, calendar) -> dict:
    """Approved leave on the month's days (with the half of a half day) and the annual-leave
    balance: leave is its own app (leave.selectors), shown here beside the punches."""
    if not apps.is_installed("leave"):
        return {}
    from leave.selectors import balance, leave_days

    first, last = calendar.weeks[0].days[0].date, calendar.weeks[-1].days[-1].date
    return {"leave_map": leave_days([employee], first, last, user=request.user), "leave_balance": balance(employee)}


def _leave_on_day(request, employees, day) -> dict:
    if not apps.is_installed("leave"):
        return {}
    from leave.selectors import leave_days

    return leave_days(employees, day, day, user=request.user)


@login_required
@require_GET
def my_month(request):
    return _month_page(request, _employee_or_403(request), own=True)


@login_required
@require_GET
def employee_month(request, pk: int):
    employee = get_object_or_404(visible_employees(request.user), pk=pk)
    me = employee_of(request.user)
    return _month_page(request, employee, own=me is not None and me.pk == employee.pk)


@login_required
@require_POST
def check_in(request):
    employee = _employee_or_403(request)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return _back(request)
    try:
        result = attendance_check_in(
            employee=employee,
            location=form.cleaned_data["location"],
            place=form.cleaned_data["place"],
            by=Actor.for_request(request, source=Source.WEB),
        )
    except (DomainError, ValidationError) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            _("Checked in at %(time)s.") % {"time": timezone.localtime(result.punch.at).strftime("%H:%M")},
        )
    return _back(request)


@login_required
@require_POST
def check_out(request):
    employee = _employee_or_403(request)
    try:
        result = attendance_check_out(employee=employee, by=Actor.for_request(request, source=Source.WEB))
    except (DomainError, ValidationError) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            _("Checked out at %(time)s.") % {"time": timezone.localtime(result.punch.at).strftime("%H:%M")},
        )
    return _back(request)


@login_required
@require_POST
def break_punch(request):
    """Start or end a break (``action`` = start / end; only with the break punches policy)."""
    employee = _employee_or_403(request)
    action = request.POST.get("action")
    service = {"start": attendance_break_start, "end": attendance_break_end}.get(action)
    if service is None:
        messages.error(request, _("Choose whether the break starts or ends."))
        return _back(request)
    try:
        result = service(employee=employee, by=Actor.for_request(request, source=Source.WEB))
    except (DomainError, ValidationError) as exc:
        messages.error(request, error_text(exc))
    else:
        text = _("Break started at %(time)s.") if action == "start" else _("Break ended at %(time)s.")
        messages.success(request, text % {"time": timezone.localtime(result.punch.at).strftime("%H:%M")})
    return _back(request)


@login_required
@require_GET
@answers_bad_query
def team(request):
    if not is_team_viewer(request.user):
        raise PermissionDenied(_("Only managers see the team view."))
    day = parse_day(request.GET.get("date"), timezone.localdate())
    department_id = parse_id(request.GET.get("department"))
    rows = team_overview(request.user, day, department_id=department_id)
    leave_today = _leave_on_day(request, [row.employee for row in rows], day)
    person_url = reverse("attendance:employee-month", args=[0]).rsplit("0/", 1)[0]
    month = f"{day.year:04d}-{day.month:02d}"
    over, near = _("Over 52 h"), _("Near 52 h")
    departments = Department.objects.filter(
        pk__in=visible_employees(request.user).exclude(department=None).values("department")
    )
    return render(
        request,
        "attendance/team.html",
        {
            "rows": [
                team_line(
                    row,
                    person_url=person_url,
                    month=month,
                    flags={"over": over, "warning": near},
                    leave=leave_today.get((row.employee.pk, day), ()),
                )
                for row in rows
            ],
            "person_url": person_url,
            "day": day,
            "prev_day": day - timedelta(days=1),
            "next_day": day + timedelta(days=1),
            "departments": departments,
            "department_id": department_id,
            "checked_in": sum(1 for r in rows if r.today.first_in),
            "total": len(rows),
            "month": month,
            "pending": corrections_to_decide(request.user).count(),
        },
    )


@login_required
@require_GET
def corrections(request):
    me = employee_of(request.user)
    return render(
        request,
        "attendance/corrections.html",
        {
            "mine": corrections_of(me)[:50] if me else [],
            "to_decide": list(corrections_to_decide(request.user)[:200]),
            "decision_form": DecisionForm(),
        },
    )


@login_required
@answers_bad_query
def correction_new(request):
    me = _employee_or_403(request)
    employee = me
    if request.GET.get("employee") or request.POST.get("employee"):
        pk = parse_id(request.GET.get("employee") or request.POST.get("employee"))
        employee = get_object_or_404(visible_employees(request.user), pk=pk)
    day = parse_day(request.GET.get("date"), timezone.localdate() - timedelta(days=1))
    summary = day_summary(employee, day)
    if request.method == "POST":
        form = CorrectionForm(request.POST)
        if form.is_valid():
            try:
                request_correction(
                    employee=employee,
                    date=form.cleaned_data["date"],
                    proposed_in=form.cleaned_data["proposed_in"],
                    proposed_out=form.cleaned_data["proposed_out"],
                    reason=form.cleaned_data["reason"],
                    by=Actor.for_request(request, source=Source.WEB),
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Your correction request was sent to your manager."))
                return redirect("attendance:corrections")
    else:
        form = CorrectionForm(initial={"date": day, **default_times(summary)})
    punches = punches_around(employee, day)
    return render(
        request,
        "attendance/correction_form.html",
        {"form": form, "person": employee, "summary": summary, "punches": punches, "day": day},
    )


def _add_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        mapping = {"proposed_in": "check_in", "proposed_out": "check_out"}
        for field, errors in exc.message_dict.items():
            name = mapping.get(field, field)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
@require_POST
def correction_decision(request, pk: int):
    correction = get_object_or_404(Correction.objects.select_related("employee"), pk=pk)
    if is_own_request(request.user, correction):
        messages.error(request, SELF_REQUESTED_MESSAGE)
        return redirect("attendance:corrections")
    if not can_decide_correction(request.user, correction):
        raise Http404
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or reject."))
        return redirect("attendance:corrections")
    approve = form.cleaned_data["decision"] == "approve"
    try:
        correction_decide(
            correction=correction,
            approve=approve,
            note=form.cleaned_data["note"],
            by=Actor.for_request(request, source=Source.WEB),
        )
    except (DomainError, ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Correction approved.") if approve else _("Correction rejected."))
    return redirect("attendance:corrections")


@login_required
@require_POST
def correction_withdraw(request, pk: int):
    correction = get_object_or_404(Correction, pk=pk)
    if not is_own_request(request.user, correction):
        raise Http404
    try:
        correction_cancel(correction=correction, by=Actor.for_request(request, source=Source.WEB))
    except (DomainError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Correction withdrawn."))
    return redirect("attendance:corrections")


@login_required
@require_GET
def correction_detail(request, pk: int):
    correction = get_object_or_404(Correction.objects.select_related("employee", "decided_by"), pk=pk)
    if not can_view_correction(request.user, correction):
        raise Http404
    return render(
        request,
        "attendance/correction_detail.html",
        {
            "correction": correction,
            "events": labelled_events(audit_trail(correction), Correction, CORRECTION_ACTIONS),
            "can_decide": can_decide_correction(request.user, correction),
            "decision_form": DecisionForm(),
        },
    )


@login_required
@require_GET
@answers_bad_query
def export(request):
    """Monthly payroll export: ?month=YYYY-MM&format=csv|xlsx[&department=id] (managers, admins)."""
    if not is_team_viewer(request.user):
        raise PermissionDenied(_("Only managers and admins export attendance."))
    today = timezone.localdate()
    year, month = parse_month(request.GET.get("month"), today)
    kind = request.GET.get("format", "csv")
    if kind not in ("csv", "xlsx"):
        return HttpResponse(_("Unknown export format."), status=400, content_type="text/plain; charset=utf-8")
    encoding = request.GET.get("encoding", "utf-8").lower().replace("_", "-")
    if encoding not in exports.ENCODINGS:
        return HttpResponse(_("Unknown CSV encoding."), status=400, content_type="text/plain; charset=utf-8")
    department_id = parse_id(request.GET.get("department"))
    work_days = work_days_for_export(request.user, year, month, department_id=department_id)
    name = f"attendance-{year:04d}-{month:02d}"
    if kind == "csv":
        response = HttpResponse(
            exports.to_csv(work_days.iterator(), encoding=encoding), content_type=f"text/csv; charset={encoding}"
        )
    else:
        weeks = weeks_around_export(request.user, year, month, department_id=department_id)
        response = HttpResponse(
            exports.to_xlsx(work_days, title=name, week_days=weeks),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response


def home_panel_context(request) -> dict | None:
    """The home page's attendance card (None hides it for logins without an employee)."""
    employee = employee_of(request.user)
    if employee is None:
        return None
    today = timezone.localdate()
    form = CheckInForm(initial=check_in_initial(employee, today))
    context = {"status": attendance_status(employee), "check_in_form": form, "today": today}
    if is_team_viewer(request.user):
        # A manager's day starts with who is in and what waits for their approval.
        rows = team_overview(request.user, today)
        context["team"] = {
            "checked_in": sum(1 for row in rows if row.today.first_in),
            "total": len(rows),
            "pending": corrections_to_decide(request.user).count(),
            "over": sum(1 for row in rows if row.level == "over"),
        }
    return context
