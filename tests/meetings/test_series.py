"""Recurring meetings: expansion in KST, and cancelled / moved occurrences that stay exceptions."""

import pytest

from erp.audit.actor import Actor
from meetings.models import ExceptionKind, Status
from meetings.services import SeriesRefused, booking_cancel, booking_move, series_create
from meetings.services.series import expanded_starts

from .conftest import kst

pytestmark = pytest.mark.django_db


def test_weekly_series_with_a_cancelled_and_a_moved_occurrence(rooms, people):
    by = Actor(user=people["organizer"].user)
    series = series_create(
        room=rooms["hangang"],
        title="주간 스탠드업",
        organizer=people["organizer"],
        rrule="FREQ=WEEKLY;BYDAY=TH",
        first_start=kst(2026, 12, 3, 9, 30),
        duration_minutes=15,
        until=kst(2026, 12, 25),
        by=by,
    )
    instances = list(series.bookings.order_by("start"))
    assert [b.start for b in instances] == [kst(2026, 12, d, 9, 30) for d in (3, 10, 17, 24)]
    booking_cancel(booking=instances[1], by=by)
    booking_move(booking=instances[2], start=kst(2026, 12, 17, 11), end=kst(2026, 12, 17, 11, 15), by=by)
    kinds = dict(series.exceptions.values_list("original_start", "kind"))
    assert kinds == {kst(2026, 12, 10, 9, 30): ExceptionKind.CANCELLED, kst(2026, 12, 17, 9, 30): ExceptionKind.MOVED}
    # Expanding again (a longer horizon) never brings the exceptions back.
    assert expanded_starts(series, until=kst(2027, 1, 1)) == [kst(2026, 12, d, 9, 30) for d in (3, 24, 31)]
    assert series.bookings.filter(status=Status.CONFIRMED).count() == 3


def test_a_series_colliding_once_is_refused_whole(rooms, people, book):
    book(start=kst(2026, 12, 17, 9, 30), end=kst(2026, 12, 17, 10), title="분기 리뷰")
    with pytest.raises(SeriesRefused, match="분기 리뷰"):
        series_create(
            room=rooms["hangang"],
            title="주간 스탠드업",
            organizer=people["organizer"],
            rrule="FREQ=WEEKLY;COUNT=4",
            first_start=kst(2026, 12, 3, 9, 30),
            duration_minutes=15,
            by=Actor(user=people["organizer"].user),
        )
    assert not rooms["hangang"].series.exists()
