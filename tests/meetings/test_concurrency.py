"""The exclusion constraint under load: 20 simultaneous bookings of one slot, one wins.

Each thread has its own database connection and passes the service's own overlap check
before any other has committed (a barrier releases them together), so only PostgreSQL's
``meetings_booking_no_overlap`` constraint can stop the other 19 — and they must get the
same clear BookingConflict a checked request gets, naming the winner.

Writers checking an exclusion constraint can also deadlock on each other's uncommitted rows
(CI saw all 19 losers fail so once); the second test builds that deadlock on purpose.
"""

import threading
import time

import pytest
from django.db import connection, transaction

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


def _someone_waits_for_a_lock(timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("the booking never waited for the other transaction")


def test_a_booking_that_postgresql_picks_as_deadlock_victim_gets_the_conflict_not_an_error(rooms, people):
    """The other writer holds 14–15 and then writes 15–16 while the booking (14–16) waits for it:
    each waits for the other. PostgreSQL fails the booking's INSERT (its deadlock timer fires first;
    the other's is set long); written again, it waits for the other to commit and is refused."""
    room, organizer = rooms["hangang"], people["organizer"]
    first_held, go_on = threading.Event(), threading.Event()
    outcome = {}

    def other_writer():
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL deadlock_timeout = '20s'")
                fields = {"room": room, "organizer": organizer}
                Booking.objects.create(title="먼저 잡은 회의", start=thursday(14), end=thursday(15), **fields)
                first_held.set()
                go_on.wait(30)
                Booking.objects.create(title="이어지는 회의", start=thursday(15), end=thursday(16), **fields)
        except Exception as exc:
            outcome["other"] = repr(exc)
        finally:
            connection.close()

    def booking():
        first_held.wait(30)
        try:
            booking_create(
                room=room,
                title="긴 회의",
                organizer=organizer,
                start=thursday(14),
                end=thursday(16),
                by=Actor(user=organizer.user),
            )
            outcome["booking"] = "won"
        except BookingConflict as exc:
            outcome["booking"] = str(exc)
        except Exception as exc:
            outcome["booking"] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=other_writer), threading.Thread(target=booking)]
    for thread in threads:
        thread.start()
    first_held.wait(30)
    _someone_waits_for_a_lock()
    go_on.set()
    for thread in threads:
        thread.join(60)

    assert "other" not in outcome
    assert "먼저 잡은 회의" in outcome["booking"] or "이어지는 회의" in outcome["booking"]
    assert sorted(Booking.objects.values_list("title", flat=True)) == ["먼저 잡은 회의", "이어지는 회의"]
