"""Demo leave: hire dates for everyone, and a few approved and pending requests around ``now``
(idempotent: safe to run again)."""

from datetime import date, timedelta

from erp.audit.actor import Actor
from erp.people.models import Employee
from erp.workcalendar.calendar import KST, get_calendar

from .models import LeaveProfile, LeaveRequest, LeaveType
from .services import leave_decide, leave_request

# username → hire date: a first-year hire, a long tenure at the 25-day cap, the rest between.
HIRE_DATES = {
    "minjun.kim": date(2016, 3, 2),
    "seoyeon.lee": date(2021, 7, 1),
    "dohyun.park": date(2019, 1, 7),
    "jiwoo.choi": date(2025, 2, 28),
    "hayoon.jung": date(2004, 9, 1),
    "jihoon.kang": date(2022, 4, 4),
    "sua.cho": date(2023, 11, 1),
    "yejun.yoon": date(2026, 5, 11),
}
DEFAULT_HIRE = date(2020, 3, 2)

# username, type code, first working day offset from today, working days, part, reason, approve?
REQUESTS = [
    ("seoyeon.lee", "annual", 5, 3, "full", "가족 여행(제주)", True),
    ("dohyun.park", "half_pm", 2, 1, "pm", "병원 진료 예약", True),
    ("jihoon.kang", "sick", -6, 2, "full", "독감으로 출근이 어렵습니다", True),
    ("sua.cho", "annual", 12, 1, "full", "개인 사정", None),
    ("jiwoo.choi", "quarter", 3, 1, "am", "은행 업무", None),
    ("hyunwoo.lim", "family_event", 8, 2, "full", "동생 결혼식", True),
]


def _working_day(start: date, offset: int) -> date:
    calendar = get_calendar()
    day, step, moved = start, (1 if offset >= 0 else -1), 0
    while moved < abs(offset) or not calendar.is_working_day(day):
        day += timedelta(days=step)
        if calendar.is_working_day(day):
            moved += 1
    return day


def _last_day(first: date, working_days: int) -> date:
    calendar, day, counted = get_calendar(), first, 1
    while counted < working_days:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            counted += 1
    return day


def seed(stdout, *, now):
    today = now.astimezone(KST).date()
    employees = {e.user.username: e for e in Employee.objects.select_related("user", "manager")}
    for username, employee in employees.items():
        LeaveProfile.objects.get_or_create(
            employee=employee, defaults={"hire_date": HIRE_DATES.get(username, DEFAULT_HIRE)}
        )
    types = {t.code: t for t in LeaveType.objects.all()}
    actor = Actor.system(job="seed_demo")
    made = 0
    for username, code, offset, length, part, reason, approve in REQUESTS:
        employee, leave_type = employees.get(username), types.get(code)
        if employee is None or leave_type is None:
            continue
        first = _working_day(today, offset)
        if LeaveRequest.objects.filter(employee=employee, start_date=first).exists():
            continue
        leave = leave_request(
            employee=employee,
            leave_type=leave_type,
            start_date=first,
            end_date=_last_day(first, length),
            part=part,
            reason=reason,
            by=actor,
        )
        if approve is not None:
            leave_decide(request=leave, approve=approve, note="", by=actor)
        made += 1
    stdout.write(f"leave: {LeaveProfile.objects.count()} hire dates, {made} new requests")
