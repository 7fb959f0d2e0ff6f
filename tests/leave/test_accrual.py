"""The statutory accrual (근로기준법 제60조) and the company policies, at the boundary dates."""

from datetime import date
from decimal import Decimal

import pytest

from leave.accrual import (
    FISCAL_YEAR,
    FIXED,
    Policy,
    corresponding_day,
    entitlement,
    full_months,
    statutory_days,
)

HIRED = date(2025, 2, 28)


@pytest.mark.parametrize(
    ("on", "granted"),
    [
        (date(2025, 2, 28), 0),  # the hire day itself
        (date(2025, 3, 27), 0),  # one day short of a full month
        (date(2025, 3, 28), 1),  # the first full month
        (date(2026, 1, 27), 10),
        (date(2026, 1, 28), 11),  # the 11-day cap of the first year
        (date(2026, 2, 27), 11),  # the last day of the first year
    ],
)
def test_first_year_one_day_per_full_month_up_to_11(on, granted):
    result = entitlement(HIRED, on)
    assert result.first_year and result.granted == granted
    assert result.period_start == HIRED and result.period_end == date(2026, 2, 28)


def test_exactly_one_year_grants_15_and_the_monthly_days_lapse():
    result = entitlement(HIRED, date(2026, 2, 28))
    assert not result.first_year and result.granted == 15
    assert (result.period_start, result.period_end) == (date(2026, 2, 28), date(2027, 2, 28))


def test_three_years_add_the_first_extra_day():
    assert entitlement(HIRED, date(2028, 2, 27)).granted == 15  # two years and 364 days
    assert entitlement(HIRED, date(2028, 2, 28)).granted == 16  # three full years (2028 is a leap year)


def test_twenty_one_years_reach_the_25_day_cap_and_stay_there():
    assert entitlement(HIRED, date(2046, 2, 27)).granted == 24
    assert entitlement(HIRED, date(2046, 2, 28)).granted == 25
    assert entitlement(HIRED, date(2060, 3, 1)).granted == 25


@pytest.mark.parametrize(("years", "days"), [(0, 0), (1, 15), (2, 15), (3, 16), (4, 16), (5, 17), (21, 25), (30, 25)])
def test_statutory_scale(years, days):
    assert statutory_days(years) == days


def test_a_29_february_hire_completes_its_year_on_1_march():
    leap_hire = date(2024, 2, 29)
    assert corresponding_day(leap_hire, months=12) == date(2025, 3, 1)
    assert entitlement(leap_hire, date(2025, 2, 28)).first_year
    assert entitlement(leap_hire, date(2025, 3, 1)).granted == 15
    # Four years later the day exists again.
    assert corresponding_day(leap_hire, months=48) == date(2028, 2, 29)


def test_month_ends_follow_the_civil_code():
    assert corresponding_day(date(2025, 1, 31), months=1) == date(2025, 3, 1)  # no 31 February
    assert corresponding_day(date(2025, 12, 31), months=2) == date(2026, 3, 1)
    assert full_months(date(2025, 1, 31), date(2025, 2, 28)) == 0
    assert full_months(date(2025, 1, 31), date(2025, 3, 1)) == 1
    assert full_months(date(2024, 1, 31), date(2024, 2, 29)) == 0  # leap February still short


def test_a_year_under_80_percent_grants_one_day_per_month_worked():
    result = entitlement(HIRED, date(2027, 3, 1), short_years={"2": 7})
    assert result.granted == 7
    assert entitlement(HIRED, date(2028, 3, 1), short_years={"2": 7}).granted == 16  # the next year is normal


def test_before_the_hire_nothing():
    assert entitlement(HIRED, date(2025, 1, 1)).granted == 0


def test_fixed_grant_per_fiscal_year():
    policy = Policy(basis=FIXED, fiscal_year_start_month=1, fixed_days=Decimal(20))
    result = entitlement(HIRED, date(2026, 6, 1), policy)
    assert result.granted == 20 and (result.period_start, result.period_end) == (date(2026, 1, 1), date(2027, 1, 1))


def test_fiscal_year_basis_prorates_the_first_partial_year():
    policy = Policy(basis=FISCAL_YEAR)
    hired = date(2025, 7, 1)
    # The hire's fiscal year: the monthly days so far.
    assert entitlement(hired, date(2025, 12, 31), policy).granted == 5
    # 1 January 2026: 15 × 184/365 = 7.56 → 8 (half days, rounded up), plus the first year's
    # monthly days arising in 2026: the sixth month completes that very day (1), …
    assert entitlement(hired, date(2026, 1, 1), policy).granted == Decimal("9")
    # … and by 1 June the eleventh (6 in 2026).
    assert entitlement(hired, date(2026, 6, 1), policy).granted == Decimal("14")
    # From the second fiscal year on, the statutory scale by fiscal years begun since the hire.
    assert entitlement(hired, date(2027, 1, 1), policy).granted == 15
    assert entitlement(hired, date(2028, 1, 1), policy).granted == 16


def test_fiscal_year_starting_in_april():
    policy = Policy(basis=FISCAL_YEAR, fiscal_year_start_month=4)
    result = entitlement(date(2020, 4, 1), date(2026, 3, 31), policy)
    assert (result.period_start, result.period_end) == (date(2025, 4, 1), date(2026, 4, 1))
    assert result.granted == statutory_days(5)
