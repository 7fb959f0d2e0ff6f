"""The meetings demo: rooms on two floors, a month of bookings, a series, private and no-show."""

import io

from erp.people import demo as people_demo
from meetings import demo
from meetings.models import Booking, Room, SeriesException

from .conftest import kst

DEMO_NOW = kst(2026, 12, 2, 10)


def test_demo_seed_is_idempotent_and_covers_the_scenarios(db, time_machine):
    time_machine.move_to(DEMO_NOW)
    out = io.StringIO()
    people_demo.seed(out)
    demo.seed(out, now=DEMO_NOW)
    count = Booking.objects.count()
    assert count > 200
    assert set(Room.objects.values_list("floor", flat=True)) == {"3층", "4층"}
    demo.seed(out, now=DEMO_NOW)
    assert Booking.objects.count() == count
    assert Booking.objects.filter(series__title="개발팀 데일리 스탠드업").count() > 15
    assert (
        SeriesException.objects.filter(kind="cancelled").exists()
        and SeriesException.objects.filter(kind="moved").exists()
    )
    assert Booking.objects.filter(is_private=True, title__startswith="인사 면담").exists()
    assert Booking.objects.filter(status="released").count() == 1
    assert Booking.objects.exclude(client_place="").exists()
