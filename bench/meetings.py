"""Meeting-room benchmark: 50 rooms, a year of bookings (≥ 100,000 rows) on PostgreSQL.

Prints (never asserts):
1. "free rooms for 6 people tomorrow 14:00–15:00" (meetings.selectors.free_rooms), p50/p95;
2. the week timeline of all 50 rooms: the selector + layout (meetings.timeline_view) and the
   whole page (``GET /meetings/?view=week`` through Django's test client, in process), p50/p95;
3. the home page's meetings card (meetings/widget.py) and the home page, p50/p95;
4. 20 clients booking the same slot at once (threads, one connection each, released together
   by a barrier): successes, clear conflicts, errors.

    .venv/bin/python bench/meetings.py            # BENCH_DATABASE_URL overrides the database
    .venv/bin/python bench/meetings.py --home     # only the home card

The database (haru_bench_meetings) is created when missing; bookings are loaded with COPY
once and reused by later runs.
"""

import os
import statistics
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/haru_bench_meetings")

from bench.attendance_common import ensure_database, setup_django  # (reads the URL set above)

ROOMS = 50
SLOTS = (8, 9, 10, 11, 13, 14, 16, 17)  # one-hour bookings; 12:00 and 15:00 stay free
DAYS = 365
RUNS = 200
CLIENTS = 20


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def _backend_cpu_seconds() -> float:
    """CPU time of this process's PostgreSQL backend (a local server: read from /proc)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(label, fn, runs=RUNS, before=None):
    """p50/p95 wall time, and the mean CPU time per run of this process and its database
    backend (wall time on the shared, loaded machine says little on its own)."""
    for _ in range(5):
        fn()
    samples = []
    cpu = 0.0
    backend_before = _backend_cpu_seconds()
    for _ in range(runs):
        if before is not None:
            before()
        started, cpu_started = time.perf_counter(), time.process_time()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
        cpu += time.process_time() - cpu_started
    backend = (_backend_cpu_seconds() - backend_before) * 1000 / runs
    print(f"{label:<52} p50 {statistics.median(samples):6.1f} ms   p95 {percentile(samples, 0.95):6.1f} ms   "
          f"max {max(samples):6.1f} ms   CPU/run {cpu * 1000 / runs:5.1f} ms + db {backend:4.1f} ms  "
          f"({runs} runs, load {os.getloadavg()[0]:.1f})")  # fmt: skip


def load(today):
    from django.db import connection

    from erp.people.models import Employee
    from erp.workcalendar.calendar import KST
    from meetings.models import Booking, MeetingSettings, Room
    from tests.factories import make_employee

    if Booking.objects.count() >= 100_000:
        return Employee.objects.get(user__username="bench-organizer")
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE meetings_booking, meetings_room RESTART IDENTITY CASCADE")
    MeetingSettings.objects.all().delete()
    MeetingSettings.objects.create(
        opens_at=datetime.min.time().replace(hour=7), closes_at=datetime.min.time().replace(hour=22)
    )
    organizer = Employee.objects.filter(user__username="bench-organizer").first() or make_employee("bench-organizer")
    rooms = Room.objects.bulk_create(
        Room(name=f"회의실 {n:02d}", floor=f"{n % 5 + 1}층", capacity=(4, 6, 8, 10, 12)[n % 5]) for n in range(ROOMS)
    )
    start_day = today - timedelta(days=180)
    rows = 0
    with (
        connection.cursor() as cursor,
        cursor.copy(
            'COPY meetings_booking (room_id, title, organizer_id, start, "end", status, source, is_private,'
            " client_place, external_id, etag, sequence, created_at, updated_at) FROM STDIN"
        ) as copy,
    ):
        now = datetime.now(tz=KST)
        for offset in range(DAYS):
            day = start_day + timedelta(days=offset)
            if day.weekday() >= 5:
                continue
            for room in rooms:
                for hour in SLOTS:
                    start = datetime.combine(day, datetime.min.time(), KST).replace(hour=hour)
                    copy.write_row((room.pk, f"정기 회의 {rows % 97}", organizer.pk, start, start + timedelta(hours=1),
                                    "confirmed", "web", False, "", "", "", 0, now, now))  # fmt: skip
                    rows += 1
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE meetings_booking")
    print(f"loaded {ROOMS} rooms, {rows:,} bookings")
    return organizer


def concurrent_same_slot(room, organizer, start, end):
    from django.db import connection

    from erp.audit.actor import Actor
    from meetings.services import BookingConflict, booking_create

    barrier = threading.Barrier(CLIENTS)
    outcomes = []

    def client(n):
        try:
            barrier.wait(30)
            booking_create(room=room, title=f"동시 예약 {n}", organizer=organizer, start=start, end=end,
                           by=Actor(user=organizer.user))  # fmt: skip
            outcomes.append("success")
        except BookingConflict:
            outcomes.append("conflict")
        except Exception as exc:  # the benchmark counts errors; it must not hide them
            outcomes.append(f"error {exc!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    elapsed = (time.perf_counter() - started) * 1000
    errors = [o for o in outcomes if o.startswith("error")]
    print(f"{CLIENTS} clients, same slot: {outcomes.count('success')} success, {outcomes.count('conflict')} conflicts, "
          f"{len(errors)} errors in {elapsed:.0f} ms")  # fmt: skip
    for error in errors[:3]:
        print("  ", error)


def home_card(organizer, day):
    """The home page's meetings card (meetings/widget.py) at 10:30 on a loaded working day: all
    50 rooms in use, the organizer of every booking (400 today) and a colleague with none; beside
    it the query of the panel it replaced (my meetings today, first 10)."""
    import time_machine
    from django.test import Client

    from erp.people.models import Employee
    from erp.workcalendar.calendar import KST
    from meetings.selectors import bookings_of
    from meetings.widget import todays_meetings
    from tests.factories import make_employee

    colleague = Employee.objects.filter(user__username="bench-colleague").first() or make_employee("bench-colleague")
    day_start = datetime.combine(day, datetime.min.time(), KST)
    with time_machine.travel(day_start.replace(hour=10, minute=30), tick=True):
        day_end = day_start + timedelta(days=1)
        old_panel = lambda: list(bookings_of(organizer, start=day_start, end=day_end)[:10])  # noqa: E731
        timed("home card before: old panel query (organizer)", old_panel)
        timed("home card: widget build (organizer, 50 rooms in use)", lambda: todays_meetings(organizer.user))
        timed("home card: widget build (colleague, no bookings)", lambda: todays_meetings(colleague.user))
        client = Client()
        client.force_login(organizer.user)
        assert client.get("/").status_code == 200
        timed("home page with the card (GET, in process)", lambda: client.get("/"), runs=60)


def main():
    ensure_database()
    setup_django()
    from django.test import Client
    from django.utils import timezone

    from erp.workcalendar.calendar import KST, get_calendar
    from meetings.forms import week_start
    from meetings.models import Booking, Room
    from meetings.selectors import free_rooms
    from meetings.timeline_cache import bump
    from meetings.timeline_view import week_layout

    print(f"load average {os.getloadavg()[0]:.1f} (2 shared vCPUs)")
    today = timezone.localdate()
    organizer = load(today)
    print(f"bookings in the table: {Booking.objects.count():,}")
    tomorrow = get_calendar().next_working_day(today)
    if "--home" in sys.argv:  # only the home card (after the load)
        home_card(organizer, tomorrow)
        return
    start = datetime.combine(tomorrow, datetime.min.time(), KST).replace(hour=14)
    end = start + timedelta(hours=1)
    timed("free rooms for 6 people tomorrow 14:00–15:00", lambda: list(free_rooms(start, end, capacity=6)))
    viewer = {"user": organizer.user, "employee_id": organizer.pk, "admin": False}
    week = week_start(tomorrow)
    # Cold: as after any booking change (the cached week's generation is retired each run).
    timed("week timeline, cold (selector + layout)", lambda: week_layout(week, **viewer), runs=60, before=bump)
    timed("week timeline, 50 rooms (cached plan + layout)", lambda: week_layout(week, **viewer))
    client = Client()
    client.force_login(organizer.user)
    url = f"/meetings/?view=week&day={tomorrow.isoformat()}"
    assert client.get(url).status_code == 200
    timed("week timeline page, cold (GET, in process)", lambda: client.get(url), runs=40, before=bump)
    timed("week timeline page, 50 rooms (GET, in process)", lambda: client.get(url), runs=100)
    home_card(organizer, tomorrow)
    free_slot = start.replace(hour=12)  # 12:00 is never loaded
    room = Room.objects.order_by("pk").first()
    Booking.objects.filter(room=room, start=free_slot).delete()
    concurrent_same_slot(room, organizer, free_slot, free_slot + timedelta(hours=1))
    Booking.objects.filter(room=room, start=free_slot).delete()


if __name__ == "__main__":
    main()
