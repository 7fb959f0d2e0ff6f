"""Annual leave entitlement (연차 발생), pure functions: dates and numbers in, numbers out.

The statutory default (근로기준법 제60조), counted from the hire date:

- in the first year of service, one day per full month worked, at most 11 (②); those days
  belong to the first year and lapse with it;
- from the first anniversary, 15 days a year when the past year's attendance was at least
  80 % (①); under 80 %, one day per month fully worked that year (②). The attendance is
  computed (``year_attendance``) from the attendance ledger over the company calendar's
  working days, approved leave counting as attended (leave.selectors.year_attendance); an
  admin's override per year of service (LeaveProfile.short_years) records an exception;
- from the third year, one more day for every two years of service beyond the first, at most
  25 days in all (④): 1–2 years → 15, 3–4 → 16, …, 21 → 25, and 25 from then on.

Periods follow 민법 제160조: a period of months or years ends the day before the corresponding
day, and when that day does not exist (a hire on 31 January, a 29 February) at the end of that
month — so the right arises on the corresponding day, else on the first of the next month.

Company policies (leave.models.LeavePolicy) may instead count leave years from the fiscal year
(the first partial fiscal year pro rata) or grant a fixed number of days each fiscal year.
"""

import calendar
import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

STATUTORY, FISCAL_YEAR, FIXED = "statutory", "fiscal_year", "fixed"
FIRST_YEAR_MAX = 11
BASE_DAYS = 15
MAX_DAYS = 25


@dataclass(frozen=True)
class Policy:
    basis: str = STATUTORY
    fiscal_year_start_month: int = 1
    fixed_days: Decimal = Decimal(BASE_DAYS)


@dataclass(frozen=True)
class Entitlement:
    """The leave year containing a day and the days granted in it up to that day."""

    period_start: date
    period_end: date  # exclusive
    granted: Decimal
    # Granted days not yet arisen: the rest of the first year's monthly days (shown as "to come").
    upcoming: Decimal = Decimal(0)
    first_year: bool = False


def corresponding_day(start: date, *, months: int) -> date:
    """The day ``months`` after ``start`` on which a period of that many months is complete:
    the same day of the month, or the 1st of the next month when that day does not exist."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    if start.day <= last:
        return date(year, month, start.day)
    return date(year + month // 12, month % 12 + 1, 1)


def full_months(start: date, on: date) -> int:
    """How many full months from ``start`` are complete on ``on`` (0 before the first)."""
    if on < start:
        return 0
    months = (on.year - start.year) * 12 + on.month - start.month
    while months > 0 and corresponding_day(start, months=months) > on:
        months -= 1
    return max(months, 0)


def years_of_service(hire: date, on: date) -> int:
    return full_months(hire, on) // 12


def statutory_days(years: int) -> int:
    """Days a year after ``years`` full years of service (≥ 80 % attendance): 15 + 1 per 2 years
    beyond the first, at most 25."""
    if years < 1:
        return 0
    return min(BASE_DAYS + (years - 1) // 2, MAX_DAYS)


def _first_year(hire: date, on: date) -> Entitlement:
    months = min(full_months(hire, on), FIRST_YEAR_MAX)
    return Entitlement(
        hire,
        corresponding_day(hire, months=12),
        Decimal(months),
        upcoming=Decimal(FIRST_YEAR_MAX - months),
        first_year=True,
    )


def _years_grant(years: int, short_years: dict) -> Decimal:
    """Days for the leave year after ``years`` full years; a year under 80 % attendance grants
    one day per month fully worked in it instead. ``short_years`` maps a year to the months
    fully worked in it (under 80 %), or to ``True`` (80 % met: an admin's override)."""
    short = short_years.get(years, short_years.get(str(years)))
    if short is None or isinstance(short, bool):
        return Decimal(statutory_days(years))
    return Decimal(min(int(short), 12))


def evaluated_year(hire: date, on: date, policy: Policy | None = None) -> tuple[int, date, date] | None:
    """(key, first day, end exclusive) of the year whose attendance decides the grant of the
    leave year containing ``on`` — the key as ``short_years`` counts it — or None when no
    80 % rule applies (the first year's monthly days, a fixed grant, the pro-rata year)."""
    policy = policy or Policy()
    if on < hire or policy.basis == FIXED:
        return None
    if policy.basis == FISCAL_YEAR:
        fy_start = fiscal_year_start(on, policy.fiscal_year_start_month)
        hire_fy = fiscal_year_start(hire, policy.fiscal_year_start_month)
        elapsed = fy_start.year - hire_fy.year
        if elapsed < 1 or (elapsed == 1 and hire > hire_fy):
            return None
        return elapsed, max(hire, fy_start.replace(year=fy_start.year - 1)), fy_start
    years = years_of_service(hire, on)
    if years == 0:
        return None
    return years, corresponding_day(hire, months=12 * (years - 1)), corresponding_day(hire, months=12 * years)


# --- the 80 % rule (제60조①②): attendance over the statutory working days of a year -------------

THRESHOLD_PERCENT = 80


@dataclass(frozen=True)
class YearAttendance:
    """One person's attendance over one accrual year [start, end).

    ``working_days`` are the company calendar's working days (소정근로일); ``attended_days``
    those with a check-in or counted as attended (approved leave, the absences the Act deems
    attended: 제60조⑥). ``full_months`` counts the months of the year (from the year's first
    day, 민법 제160조) whose every working day was attended (개근), for the rule of ②.
    """

    start: date
    end: date  # exclusive
    working_days: int
    attended_days: int
    full_months: int

    @property
    def meets_threshold(self) -> bool:
        """At least 80 %, compared in integers (15 of 20 days is 75 %, 16 of 20 exactly 80 %)."""
        return self.attended_days * 100 >= self.working_days * THRESHOLD_PERCENT

    @property
    def percent(self) -> Decimal:
        """The rate in percent, one decimal (100 when the year had no working day)."""
        if not self.working_days:
            return Decimal(100)
        return (Decimal(self.attended_days * 100) / self.working_days).quantize(Decimal("0.1"))


def year_attendance(start: date, end: date, *, is_working_day, attended) -> YearAttendance:
    """The attendance of [start, end) from a calendar (``is_working_day(day)``) and the set of
    days counted as attended (``day in attended``); days off in ``attended`` do not count."""
    working = attended_count = full = 0
    for month in range(12):
        month_start = corresponding_day(start, months=month)
        if month_start >= end:
            break
        month_end = min(corresponding_day(start, months=month + 1), end)
        month_complete = month_end == corresponding_day(start, months=month + 1)
        missed = False
        day = month_start
        while day < month_end:
            if is_working_day(day):
                working += 1
                if day in attended:
                    attended_count += 1
                else:
                    missed = True
            day += _DAY
        full += int(month_complete and not missed)
    return YearAttendance(start, end, working, attended_count, full)


def fiscal_year_start(on: date, start_month: int) -> date:
    year = on.year if on.month >= start_month else on.year - 1
    return date(year, start_month, 1)


def entitlement(hire: date, on: date, policy: Policy | None = None, short_years: dict | None = None) -> Entitlement:
    """The leave year containing ``on`` and its granted days, for someone hired on ``hire``."""
    policy = policy or Policy()
    short_years = short_years or {}
    if on < hire:
        return Entitlement(hire, hire, Decimal(0))
    if policy.basis == FIXED:
        start = fiscal_year_start(on, policy.fiscal_year_start_month)
        return Entitlement(start, start.replace(year=start.year + 1), Decimal(policy.fixed_days))
    if policy.basis == FISCAL_YEAR:
        return _fiscal(hire, on, policy.fiscal_year_start_month, short_years)
    years = years_of_service(hire, on)
    if years == 0:
        return _first_year(hire, on)
    start = corresponding_day(hire, months=12 * years)
    return Entitlement(start, corresponding_day(hire, months=12 * (years + 1)), _years_grant(years, short_years))


def _fiscal(hire: date, on: date, start_month: int, short_years: dict) -> Entitlement:
    """Fiscal-year basis (회계연도 기준): in the hire's fiscal year the first year's monthly days;
    in the next one 15 days pro rata for the part-year served, plus the monthly days still
    arising in the first year of service; then the statutory scale by fiscal years begun since
    the hire's (the partial first year counting as a year, in the employee's favour)."""
    fy_start = fiscal_year_start(on, start_month)
    fy_end = fy_start.replace(year=fy_start.year + 1)
    elapsed = fy_start.year - fiscal_year_start(hire, start_month).year
    if elapsed == 0:
        first = _first_year(hire, on)
        return Entitlement(hire, fy_end, first.granted, first_year=True)
    if elapsed == 1 and hire > fiscal_year_start(hire, start_month):
        previous = fy_start.replace(year=fy_start.year - 1)
        share = Decimal((fy_start - hire).days) / Decimal((fy_start - previous).days)
        prorated = Decimal(math.ceil(BASE_DAYS * share * 2)) / 2  # in half days, rounded up
        monthly = min(full_months(hire, on), FIRST_YEAR_MAX) - min(full_months(hire, fy_start - _DAY), FIRST_YEAR_MAX)
        return Entitlement(fy_start, fy_end, prorated + max(monthly, 0), first_year=years_of_service(hire, on) == 0)
    return Entitlement(fy_start, fy_end, _years_grant(elapsed, short_years))


_DAY = timedelta(days=1)
