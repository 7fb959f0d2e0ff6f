"""The recurring-meeting form: weekly or every two weeks, until a date or a count; every date
checked, each refusal named, all or nothing; then one date or the whole series changed."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from erp.audit.actor import Actor
from meetings.models import Booking, BookingSeries, ExceptionKind, Status
from meetings.services import SeriesRefused, series_create, series_update

from .conftest import kst

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(client, people, settings):
    settings.LANGUAGE_CODE = "en"
    client.force_login(people["organizer"].user)
    return client


def series_form(rooms, **more):
    return {
        "room": rooms["hangang"].pk, "title": "주간 스탠드업", "day": "2026-12-03", "start_time": "09:30",
        "end_time": "10:00", "interval": "1", "ends": "until", "until": "2026-12-24", **more,
    }  # fmt: skip


def starts(series):
    return [b.start for b in series.bookings.filter(status=Status.CONFIRMED).order_by("start")]


def test_weekly_until_a_date(user, rooms):
    response = user.post(reverse("meetings:series-new"), series_form(rooms))
    series = BookingSeries.objects.get()
    assert response.status_code == 302 and response.url == reverse("meetings:series", args=[series.pk])
    assert starts(series) == [kst(2026, 12, d, 9, 30) for d in (3, 10, 17, 24)]
    page = user.get(response.url).content.decode()
    assert "Booked 4 meetings" in page and "2026-12-24 (Thu) 09:30~10:00" in page


def test_every_two_weeks_for_a_count_leaves_days_off_out(user, rooms):
    user.post(reverse("meetings:series-new"), series_form(rooms, interval="2", ends="count", count="3"))
    assert starts(BookingSeries.objects.get()) == [
        kst(2026, 12, 3, 9, 30),
        kst(2026, 12, 17, 9, 30),
        kst(2026, 12, 31, 9, 30),
    ]


def test_every_refused_date_is_named_and_nothing_is_booked(user, rooms, book, people):
    book(start=kst(2026, 12, 10, 9, 30), end=kst(2026, 12, 10, 10), title="분기 리뷰")
    book(start=kst(2026, 12, 24, 9, 0), end=kst(2026, 12, 24, 10), title="연말 정리")
    response = user.post(reverse("meetings:series-new"), series_form(rooms))
    html = response.content.decode()
    assert response.status_code == 200 and "Nothing was booked" in html
    assert "Dec 10 (Thu) 09:30~10:00" in html and "분기 리뷰" in html
    assert "Dec 24 (Thu) 09:30~10:00" in html and "연말 정리" in html
    assert not BookingSeries.objects.exists() and Booking.objects.count() == 2


def test_bad_series_input_is_a_form_error(user, rooms):
    for bad in (
        {"end_time": "09:00"},  # reversed
        {"until": "2026-11-30"},  # before the first date
        {"ends": "count", "count": ""},
        {"ends": "count", "count": "1000"},
        {"start_time": "06:00"},  # before opening: named per date
    ):
        response = user.post(reverse("meetings:series-new"), series_form(rooms, **bad))
        assert response.status_code == 200, bad
        assert 'class="errorlist' in response.content.decode() or "Nothing was booked" in response.content.decode()
    assert not Booking.objects.exists()


def test_one_date_moves_alone_then_the_series_moves_and_is_cancelled(user, rooms, people, book):
    by = Actor(user=people["organizer"].user)
    series = series_create(
        room=rooms["hangang"], title="주간 스탠드업", organizer=people["organizer"], rrule="FREQ=WEEKLY",
        first_start=kst(2026, 12, 3, 9, 30), duration_minutes=30, until=kst(2026, 12, 25), by=by,
    )  # fmt: skip
    second = series.bookings.order_by("start")[1]
    # One date: through the booking page, as any booking (the series remembers the exception).
    user.post(reverse("meetings:booking-action", args=[second.pk]), {"action": "cancel"})
    assert series.exceptions.get().kind == ExceptionKind.CANCELLED
    # The series: 11:00~11:30 from now on, refused as a whole when one date is taken.
    book(start=kst(2026, 12, 17, 11), end=kst(2026, 12, 17, 12), title="고객 통화")
    url = reverse("meetings:series", args=[series.pk])
    change = {
        "action": "update",
        "title": "주간 싱크",
        "room": rooms["hangang"].pk,
        "start_time": "11:00",
        "end_time": "11:30",
    }
    html = user.post(url, change).content.decode()
    assert "Nothing was changed" in html and "Dec 17 (Thu) 11:00~11:30" in html and "고객 통화" in html
    assert starts(series) == [kst(2026, 12, d, 9, 30) for d in (3, 17, 24)]
    user.post(url, {**change, "start_time": "13:00", "end_time": "13:30"})
    assert starts(series) == [kst(2026, 12, d, 13) for d in (3, 17, 24)]
    assert set(series.bookings.filter(status=Status.CONFIRMED).values_list("title", flat=True)) == {"주간 싱크"}
    assert series.exceptions.count() == 1  # moving the series made no exception per date
    user.post(url, {"action": "cancel"})
    assert not series.bookings.filter(status=Status.CONFIRMED).exists()


def test_only_the_organizer_or_an_admin_changes_a_series(client, rooms, people):
    by = Actor(user=people["organizer"].user)
    series = series_create(
        room=rooms["hangang"], title="주간 스탠드업", organizer=people["organizer"], rrule="FREQ=WEEKLY;COUNT=2",
        first_start=kst(2026, 12, 3, 9, 30), duration_minutes=30, by=by,
    )  # fmt: skip
    client.force_login(people["outsider"].user)
    assert client.post(reverse("meetings:series", args=[series.pk]), {"action": "cancel"}).status_code == 403
    with pytest.raises(PermissionDenied):
        series_update(series=series, title="x", by=Actor(user=people["outsider"].user))
    assert series.bookings.filter(status=Status.CONFIRMED).count() == 2


def test_the_service_lists_every_refused_date(rooms, people, book):
    book(start=kst(2026, 12, 10, 9, 30), end=kst(2026, 12, 10, 10), title="분기 리뷰")
    with pytest.raises(SeriesRefused) as refused:
        series_create(
            room=rooms["hangang"], title="조회", organizer=people["organizer"], rrule="FREQ=WEEKLY;COUNT=3",
            first_start=kst(2026, 12, 3, 6, 0), duration_minutes=30, by=Actor(user=people["organizer"].user),
        )  # fmt: skip
    assert [start for start, _end, _why in refused.value.problems] == [kst(2026, 12, d, 6) for d in (3, 10, 17)]
