"""erp.core.scheduled: once per working day, at or after the job's time, missed runs caught up once.

Every tick gets an explicit ``now``: nothing here reads the wall clock.
"""

from datetime import date, datetime, time

import pytest
from django.utils import translation

from erp.core import scheduled
from erp.core.models import ScheduledRun
from erp.workcalendar.calendar import KST, invalidate_calendar
from erp.workcalendar.models import CompanyDayOff

pytestmark = pytest.mark.django_db

JOB = scheduled.DailyJob("test.summary", at=time(9, 0))
TUESDAY = date(2026, 9, 22)


def kst(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), KST)


class Work:
    """The job's work: records the days it ran for and the language it ran in."""

    def __init__(self, result: int = 2):
        self.result = result
        self.days: list[date] = []
        self.languages: list[str] = []

    def __call__(self, day: date) -> int:
        self.days.append(day)
        self.languages.append(translation.get_language())
        return self.result


@pytest.fixture
def work():
    return Work()


def tick(work, at: datetime) -> int:
    return scheduled.run(JOB, work, now=at)


def test_a_working_day_runs_at_the_time(work):
    assert tick(work, kst(TUESDAY, 8, 59)) == 0  # not yet
    assert tick(work, kst(TUESDAY, 9, 0)) == 2
    assert work.days == [TUESDAY]
    run = ScheduledRun.objects.get()
    assert (run.job, run.day, run.result) == ("test.summary", TUESDAY, 2)


def test_a_second_run_posts_nothing(work):
    assert tick(work, kst(TUESDAY, 9, 0)) == 2
    assert tick(work, kst(TUESDAY, 9, 15)) == 0
    assert scheduled.run(JOB, work, day=TUESDAY) == 0  # nor a manual one
    assert work.days == [TUESDAY]


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 9, 25),  # 추석 (Friday)
        date(2026, 9, 24),  # 추석 전날 (Thursday)
        date(2026, 10, 5),  # 개천절 대체 휴일 (Monday)
        date(2026, 9, 19),  # a Saturday
        date(2026, 9, 20),  # a Sunday
    ],
)
def test_no_run_on_days_off(work, day):
    for hour in (9, 11, 17):
        assert tick(work, kst(day, hour)) == 0
    assert scheduled.run(JOB, work, day=day) == 0
    assert work.days == [] and not ScheduledRun.objects.exists()


def test_a_company_day_off_counts_too(work):
    CompanyDayOff.objects.create(date=TUESDAY, name="창립기념일")
    invalidate_calendar()
    assert tick(work, kst(TUESDAY, 9)) == 0
    assert work.days == []


def test_a_missed_run_is_caught_up_once_later_that_day(work):
    # Nothing ran at 09:00 (the worker was down); it is back at 11:00.
    assert tick(work, kst(TUESDAY, 11, 0)) == 2
    # The ticks that piled up in the broker meanwhile, and the later ones, post nothing.
    for minute in (0, 0, 15, 30):
        assert tick(work, kst(TUESDAY, 11, minute)) == 0
    assert tick(work, kst(TUESDAY, 17, 45)) == 0
    assert work.days == [TUESDAY]


def test_a_missed_day_is_not_posted_the_next_day(work):
    # Down all Tuesday until after business hours (18:00): Tuesday's run is dropped …
    assert tick(work, kst(TUESDAY, 18, 0)) == 0
    assert tick(work, kst(TUESDAY, 23, 45)) == 0
    wednesday = date(2026, 9, 23)
    assert tick(work, kst(wednesday, 8, 0)) == 0  # … a late Tuesday tick delivered Wednesday morning too
    # … and Wednesday's first tick runs Wednesday's work, once.
    assert tick(work, kst(wednesday, 9, 0)) == 2
    assert tick(work, kst(wednesday, 9, 15)) == 0
    assert work.days == [wednesday]


def test_now_in_any_time_zone_is_read_in_kst(work):
    from datetime import UTC

    # 00:30 UTC on Tuesday is 09:30 KST on Tuesday.
    assert tick(work, datetime(2026, 9, 22, 0, 30, tzinfo=UTC)) == 2
    assert work.days == [TUESDAY]


def test_a_failed_run_leaves_no_trace_and_is_retried(work):
    def broken(day):
        raise RuntimeError("Slack rendering broke")

    with pytest.raises(RuntimeError):
        tick(broken, kst(TUESDAY, 9, 0))
    assert not ScheduledRun.objects.exists()
    assert tick(work, kst(TUESDAY, 9, 15)) == 2


def test_nothing_to_post_still_counts_as_the_days_run():
    empty = Work(result=0)
    assert tick(empty, kst(TUESDAY, 9, 0)) == 0
    assert tick(empty, kst(TUESDAY, 10, 0)) == 0
    assert empty.days == [TUESDAY]


def test_work_speaks_the_company_language(work, settings):
    settings.LANGUAGE_CODE = "ko"
    with translation.override("en"):  # whoever happened to be active in the worker
        tick(work, kst(TUESDAY, 9))
    assert work.languages == ["ko"]


def test_manual_run_for_a_day_at_any_hour(work):
    assert scheduled.run(JOB, work, day=TUESDAY) == 2
    assert tick(work, kst(TUESDAY, 9)) == 0
    assert work.days == [TUESDAY]


def test_jobs_are_counted_apart(work):
    other = scheduled.DailyJob("test.other", at=time(9, 0))
    assert tick(work, kst(TUESDAY, 9)) == 2
    assert scheduled.run(other, work, now=kst(TUESDAY, 9)) == 2
    assert ScheduledRun.objects.count() == 2


def test_a_job_set_after_closing_time_runs_until_midnight(work):
    evening = scheduled.DailyJob("test.evening", at=time(19, 0))
    assert scheduled.run(evening, work, now=kst(TUESDAY, 18, 59)) == 0
    assert scheduled.run(evening, work, now=kst(TUESDAY, 23, 45)) == 2


def test_the_time_may_come_from_a_setting(work, settings):
    settings.REPORT_HOUR = 10
    job = scheduled.DailyJob("test.setting", at=lambda: time(settings.REPORT_HOUR))
    assert scheduled.run(job, work, now=kst(TUESDAY, 9, 45)) == 0
    assert scheduled.run(job, work, now=kst(TUESDAY, 10, 0)) == 2


def test_beat_ticks_from_the_time_until_midnight_every_day():
    schedule = JOB.beat_schedule()
    assert schedule.hour == set(range(9, 24))
    assert schedule.minute == {0, 15, 30, 45}
    assert schedule.day_of_week == set(range(7))  # the calendar, not beat, knows the working days
    later = scheduled.DailyJob("test.later", at=time(10, 10), every=30)
    assert later.beat_schedule().minute == {10, 40} and min(later.beat_schedule().hour) == 10


def test_once_key_names_target_and_day():
    assert scheduled.once_key(JOB, 12, TUESDAY) == "test.summary:12:2026-09-22"


def test_every_is_a_sane_number_of_minutes():
    with pytest.raises(ValueError):
        scheduled.DailyJob("test.bad", at=time(9), every=0)


def test_the_admin_lists_the_runs_read_only(client, django_user_model, work):
    from django.urls import reverse

    tick(work, kst(TUESDAY, 9))
    admin = django_user_model.objects.create_superuser("root", "root@haru.example", "pw-for-tests-1")
    client.force_login(admin)
    page = client.get(reverse("admin:core_scheduledrun_changelist"))
    assert page.status_code == 200 and "test.summary" in page.content.decode()
    assert client.get(reverse("admin:core_scheduledrun_add")).status_code == 403


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_ticks_run_the_work_once():
    import time as clock

    from erp.workcalendar.models import WorkingHours
    from tests.tickets.test_concurrency import run_in_threads

    # Transactional tests run after a flush that also removed the default working hours.
    for weekday in range(5):
        WorkingHours.objects.get_or_create(weekday=weekday, defaults={"start": time(9), "end": time(18)})
    invalidate_calendar()
    work = Work()

    def slow(day):
        clock.sleep(0.2)  # hold the transaction so the other ticks meet the unique index
        return work(day)

    results, errors = run_in_threads(lambda i: tick(slow, kst(TUESDAY, 9)), 4)
    assert not errors
    assert sorted(results) == [0, 0, 0, 2]
    assert work.days == [TUESDAY] and ScheduledRun.objects.count() == 1
