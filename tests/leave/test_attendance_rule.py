"""The 80 % rule of annual leave (근로기준법 제60조①②) computed from the attendance ledger.

Pure functions at the boundaries (exactly 80 %, just under, the months fully worked), then
the balance of a person whose year is read from real WorkDay rows: at work, on approved
leave (counted as attended), absent; the admin's audited override; a year the ledger does
not cover (presumed met, in the employee's favour).
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest

from attendance.derivation import week_start_of
from attendance.models import DayState, WorkDay
from erp.audit.actor import Actor
from erp.audit.models import AuditEvent
from erp.workcalendar.calendar import KST, get_calendar
from leave import accrual
from leave.accrual import FISCAL_YEAR, FIXED, Policy, YearAttendance, evaluated_year, year_attendance
from leave.models import LeaveProfile, LeaveRequest
from leave.selectors import balance
from leave.services import leave_profile_save

from .conftest import kind

START, END = date(2025, 3, 3), date(2026, 3, 3)


def weekdays(day: date) -> bool:
    return day.weekday() < 5


def working_days(start=START, end=END, is_working_day=weekdays) -> list[date]:
    return [start + timedelta(n) for n in range((end - start).days) if is_working_day(start + timedelta(n))]


# --- pure ------------------------------------------------------------------------------------------


def test_exactly_80_percent_meets_the_rule_and_one_day_less_does_not():
    days = working_days()
    assert len(days) == 261  # Mon–Fri from 2025-03-03 to 2026-03-02
    needed = -(-len(days) * 80 // 100)  # 208.8 → 209 days
    met = year_attendance(START, END, is_working_day=weekdays, attended=set(days[:needed]))
    short = year_attendance(START, END, is_working_day=weekdays, attended=set(days[: needed - 1]))
    assert (met.working_days, met.attended_days, met.meets_threshold) == (261, 209, True)
    assert (short.attended_days, short.meets_threshold) == (208, False)
    assert short.percent == Decimal("79.7")


def test_the_threshold_is_compared_in_integers():
    assert YearAttendance(START, END, 20, 16, 0).meets_threshold  # 80.0 %
    assert not YearAttendance(START, END, 20, 15, 0).meets_threshold  # 75 %
    assert not YearAttendance(START, END, 250, 199, 0).meets_threshold  # 79.6 %
    assert YearAttendance(START, END, 250, 200, 0).meets_threshold
    assert YearAttendance(START, END, 0, 0, 0).meets_threshold  # no working day: nothing was missed


def test_months_fully_worked_count_from_the_years_first_day():
    days = working_days()
    # At work every working day until 2025-10-02 (seven full months from 3 March), then never.
    attended = {d for d in days if d < date(2025, 10, 3)}
    record = year_attendance(START, END, is_working_day=weekdays, attended=attended)
    assert record.full_months == 7 and not record.meets_threshold
    # One missed day in the second month costs that month only.
    record = year_attendance(START, END, is_working_day=weekdays, attended=attended - {date(2025, 4, 15)})
    assert record.full_months == 6


def test_days_off_in_the_attended_set_do_not_count():
    saturday = date(2025, 3, 8)
    record = year_attendance(START, END, is_working_day=weekdays, attended={saturday})
    assert record.attended_days == 0


def test_which_year_decides_a_grant():
    hire = date(2020, 3, 2)
    assert evaluated_year(hire, date(2020, 12, 1)) is None  # the first year: monthly days, no 80 % rule
    assert evaluated_year(hire, date(2021, 3, 2)) == (1, date(2020, 3, 2), date(2021, 3, 2))
    assert evaluated_year(hire, date(2026, 12, 2)) == (6, date(2025, 3, 2), date(2026, 3, 2))
    assert evaluated_year(hire, date(2026, 12, 2), Policy(basis=FIXED)) is None
    fiscal = Policy(basis=FISCAL_YEAR)
    assert evaluated_year(hire, date(2021, 6, 1), fiscal) is None  # the pro-rata year
    assert evaluated_year(hire, date(2022, 6, 1), fiscal) == (2, date(2021, 1, 1), date(2022, 1, 1))


def test_under_80_percent_grants_the_months_fully_worked_and_an_override_of_true_restores_15():
    hire = date(2020, 3, 2)
    assert accrual.entitlement(hire, date(2026, 12, 2), short_years={6: 7}).granted == 7
    assert accrual.entitlement(hire, date(2026, 12, 2), short_years={"6": True}).granted == 17
    assert accrual.entitlement(hire, date(2026, 12, 2)).granted == 17


# --- from the attendance ledger --------------------------------------------------------------------

HIRE = date(2024, 12, 2)  # on the pinned 2026-12-02 two full years: year 2 = 2025-12-02 … 2026-12-01
YEAR_START, YEAR_END = date(2025, 12, 2), date(2026, 12, 2)


def ledger_days(first=YEAR_START, end=YEAR_END) -> list[date]:
    calendar = get_calendar()
    return working_days(first, end, calendar.is_working_day)


def at_work(employee, days) -> None:
    """WorkDay rows as the ledger derives them from punches: 09:00–18:00, closed."""
    WorkDay.objects.bulk_create(
        WorkDay(
            employee=employee,
            date=day,
            week_start=week_start_of(day),
            state=DayState.DONE,
            first_in=datetime.combine(day, time(9), KST),
            last_out=datetime.combine(day, time(18), KST),
            gross_minutes=540,
            break_minutes=60,
            worked_minutes=480,
            punch_count=2,
        )
        for day in days
    )


@pytest.fixture
def bob(team):
    LeaveProfile.objects.filter(employee=team["bob"]).update(hire_date=HIRE)
    return team["bob"]


def test_a_year_at_work_grants_15_days(bob):
    days = ledger_days()
    at_work(bob, days[: len(days) * 9 // 10])  # 90 %
    current = balance(bob)
    assert current.granted == 15 and current.attendance.meets_threshold
    assert current.attendance.working_days == len(days) and not current.attendance_overridden


def test_under_80_percent_grants_one_day_per_month_fully_worked(bob):
    days = ledger_days()
    at_work(bob, [d for d in days if d < date(2026, 7, 2)])  # seven full months, then away
    current = balance(bob)
    assert not current.attendance.meets_threshold
    assert current.attendance.full_months == 7 and current.granted == 7


def test_approved_leave_counts_as_attended(bob):
    days = ledger_days()
    away = [d for d in days if date(2026, 6, 2) <= d < date(2026, 9, 2)]  # three months away, on leave
    at_work(bob, [d for d in days if d not in away])
    assert not balance(bob).attendance.meets_threshold  # three months absent: under 80 %
    LeaveRequest.objects.create(
        employee=bob,
        leave_type=kind("public_duty"),  # 공가: a kind that counts as attended
        start_date=away[0],
        end_date=away[-1],
        days=len(away),
        reason="예비군 훈련",
        status=LeaveRequest.Status.APPROVED,
    )
    current = balance(bob)
    assert current.attendance.attended_days == len(days) and current.granted == 15
    # A kind the company does not count as attended leaves those days absent.
    official = kind("public_duty")
    official.counts_as_attended = False
    official.save()
    current = balance(bob)
    assert current.attendance.attended_days == len(days) - len(away)


def test_the_admins_override_wins_and_is_audited(bob, team):
    at_work(bob, ledger_days()[:10])  # hardly ever at work
    assert balance(bob).granted < 15
    profile = LeaveProfile.objects.get(employee=bob)
    profile.short_years = {"2": True}  # e.g. a long work-injury leave the ledger shows as absence
    leave_profile_save(profile=profile, by=Actor(user=team["hr"].user))
    current = balance(bob)
    assert current.granted == 15 and current.attendance_overridden and current.attendance is None
    event = AuditEvent.objects.filter(object_id=str(profile.pk)).latest("pk")
    assert event.changes["short_years"][1] == {"2": True}


def test_a_year_before_the_ledger_began_is_presumed_met(bob):
    # The ledger starts mid-year (the company began recording attendance in June 2026).
    at_work(bob, [d for d in ledger_days() if d >= date(2026, 6, 1)])
    current = balance(bob)
    assert current.attendance is None and current.granted == 15


def test_the_balance_says_how_the_rule_decided(bob, client):
    from django.utils import translation

    from leave.templatetags.leave_tags import attendance_note

    at_work(bob, [d for d in ledger_days() if d < date(2026, 7, 2)])
    current = balance(bob)
    with translation.override("ko"):
        note = attendance_note(current)
    assert note.startswith("2025년 12월 2일 (화) ~ 2026년 12월 1일 (화) 출근율: 소정근로일 ")
    assert "(80% 미만)" in note and "7일이 발생합니다" in note
    # The portal's balance card shows the same sentence.
    client.force_login(bob.user)
    with translation.override("ko"):
        page = client.get("/leave/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "80% 미만" in page


@pytest.mark.parametrize("bad", [{"2": "seven"}, {"zero": 3}, {"0": 3}, {"2": 13}, [2, 7], "2"])
def test_a_malformed_override_is_a_form_error(bob, bad):
    from django.core.exceptions import ValidationError

    profile = LeaveProfile.objects.get(employee=bob)
    profile.short_years = bad
    with pytest.raises(ValidationError) as refused:
        profile.full_clean()
    assert "short_years" in refused.value.message_dict


def test_a_malformed_override_in_the_admin_is_refused_without_a_500(bob, admin_client):
    from django.urls import reverse

    profile = LeaveProfile.objects.get(employee=bob)
    url = reverse("admin:leave_leaveprofile_change", args=[profile.pk])
    data = {
        "employee": bob.pk,
        "hire_date": HIRE.isoformat(),
        "short_years": '{"2": "lots"}',
        "audit-auditevent-content_type-object_id-TOTAL_FORMS": "0",
        "audit-auditevent-content_type-object_id-INITIAL_FORMS": "0",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert LeaveProfile.objects.get(pk=profile.pk).short_years == {}
