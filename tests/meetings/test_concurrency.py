"""The exclusion constraint under load: 20 simultaneous bookings of one slot, one wins.

Each thread has its own database connection and passes the service's own overlap check
before any other has committed (a barrier releases them together), so only PostgreSQL's
``meetings_booking_no_overlap`` constraint can stop the other 19 — and they must get the
same clear BookingConflict a checked request gets, naming the winner.
"""

import threading

import pytest
from django.db import connection

from erp.audit.actor import Actor
from meetings.models import Booking
from meetings.selectors import availability
from meetings.services import BookingConflict, booking_create

from .conftest import thursday

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CLIENTS = 20


@pytest.fixture(autouse=True)
def _business_hours(seeded_business_hours):
    pass


def test_twenty_concurrent_bookings_of_one_slot_exactly_one_wins(rooms, people, monkeypatch):
    room, organizer = rooms["hangang"], people["organizer"]
    barrier = threading.Barrier(CLIENTS)
    real_find = availability.find_conflict

    def find_then_wait(*args, **kwargs):
        found = real_find(*args, **kwargs)
        if kwargs.get("exclude") is None and not getattr(threading.current_thread(), "checked", False):
            threading.current_thread().checked = True
            barrier.wait(timeout=30)  # everyone has passed the check, nobody has inserted
        return found

    # The service's check is bypassed by timing, not by code: every thread really runs it.
    monkeypatch.setattr("meetings.services.bookings.find_conflict", find_then_wait)
    results = []

    def client(n):
        try:
            booking_create(
                room=room,
                title=f"회의 {n}",
                organizer=organizer,
                start=thursday(14),
                end=thursday(15),
                by=Actor(user=organizer.user),
            )
            results.append("won")
        except BookingConflict as exc:
            results.append(("conflict", str(exc)))
        except Exception as exc:  # the test counts errors, it must not hide them
            results.append(("error", repr(exc)))
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    errors = [r for r in results if r != "won" and r[0] == "error"]
    assert errors == []
    assert results.count("won") == 1
    conflicts = [r[1] for r in results if r != "won"]
    assert len(conflicts) == CLIENTS - 1
    winner = Booking.objects.get()
    assert all(f"“{winner.title}”" in message for message in conflicts)
