from datetime import UTC, date, datetime, time

import pytest

from erp.workcalendar.calendar import KST, get_calendar
from erp.workcalendar.models import CompanyDayOff, WorkingHours

pytestmark = pytest.mark.django_db


def kst(*args):
    return datetime(*args, tzinfo=KST)


@pytest.mark.parametrize(
    "day, name",
    [
        (date(2026, 9, 24), "추석 전날"),
        (date(2026, 9, 25), "추석"),
        (date(2026, 9, 26), "추석 다음날"),
        (date(2026, 10, 5), "개천절 대체 휴일"),
        (date(2026, 2, 17), "설날"),
        (date(2026, 3, 2), "삼일절 대체 휴일"),
    ],
)
def test_korean_public_holidays_are_not_working_days(day, name):
    calendar = get_calendar()
    assert calendar.holiday_name(day) == name
    assert not calendar.is_working_day(day)


def test_weekends_are_off_and_plain_weekdays_work():
    calendar = get_calendar()
    assert not calendar.is_working_day(date(2026, 11, 21))  # Saturday
    assert not calendar.is_working_day(date(2026, 11, 22))  # Sunday
    assert calendar.is_working_day(date(2026, 11, 23))  # Monday


def test_company_day_off_joins_the_same_calendar():
    day = date(2026, 11, 27)
    assert get_calendar().is_working_day(day)
    CompanyDayOff.objects.create(date=day, name="창립기념일")
    calendar = get_calendar()
    assert calendar.holiday_name(day) == "창립기념일"
    assert not calendar.is_working_day(day)


def test_working_moment_respects_hours():
    calendar = get_calendar()
    assert calendar.is_working_moment(kst(2026, 11, 23, 9, 0))
    assert not calendar.is_working_moment(kst(2026, 11, 23, 18, 0))
    assert not calendar.is_working_moment(kst(2026, 11, 23, 8, 59))
    # Times given in UTC are judged in Seoul: 00:30 UTC is 09:30 KST.
    assert calendar.is_working_moment(datetime(2026, 11, 23, 0, 30, tzinfo=UTC))


def test_business_minutes_across_a_weekend():
    calendar = get_calendar()
    friday_late = kst(2026, 11, 20, 17, 30)
    assert calendar.add_business_minutes(friday_late, 60) == kst(2026, 11, 23, 9, 30)
    assert calendar.business_minutes_between(friday_late, kst(2026, 11, 23, 9, 30)) == 60


def test_business_minutes_across_chuseok_and_the_substitute_holiday():
    calendar = get_calendar()
    # Wed 2026-09-23 17:00 + 2 h: 1 h on Wednesday; Thu-Sat is 추석, Sunday is off,
    # so the second hour runs on Monday 2026-09-28.
    start = kst(2026, 9, 23, 17, 0)
    assert calendar.add_business_minutes(start, 120) == kst(2026, 9, 28, 10, 0)
    # Fri 2026-10-02 17:00 + 2 h: 개천절 falls on Saturday, its substitute day Monday
    # 10-05 is off too, so the clock resumes on Tuesday.
    assert calendar.add_business_minutes(kst(2026, 10, 2, 17, 0), 120) == kst(2026, 10, 6, 10, 0)
    assert calendar.business_minutes_between(kst(2026, 10, 2, 17, 0), kst(2026, 10, 6, 10, 0)) == 120


def test_adding_from_before_opening_starts_at_opening():
    calendar = get_calendar()
    assert calendar.add_business_minutes(kst(2026, 11, 23, 7, 0), 30) == kst(2026, 11, 23, 9, 30)
    assert calendar.add_business_minutes(kst(2026, 11, 23, 12, 0), 0) == kst(2026, 11, 23, 12, 0)


def test_edited_working_hours_take_effect():
    WorkingHours.objects.filter(weekday=0).update(start=time(10), end=time(19))
    WorkingHours.objects.get(weekday=0).save()  # an admin save invalidates the cache
    calendar = get_calendar()
    assert calendar.working_interval(date(2026, 11, 23)) == (kst(2026, 11, 23, 10), kst(2026, 11, 23, 19))
