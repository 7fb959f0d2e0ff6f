"""One person's annual-leave balance with the 80 % rule read from a year of attendance rows.

leave.selectors.balance() now reads the accrual year's WorkDay rows (about 250), the approved
leave of that year and the company calendar, for every /leave answer, Home tab and balance
card. This times it in-process on PostgreSQL: wall time and CPU (this process + its database
backend, from /proc/<pid>/schedstat), per call, with the old hand-typed path (an override
row, no attendance read) beside it.

    .venv/bin/python bench/leave_balance.py [--rounds 200]

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/haru_bench_finish3_leave).
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/haru_bench_finish3_leave"
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "erp.settings.base")
os.environ.setdefault("REDIS_URL", "")

from bench.slack_inbound_setup import ensure_database  # noqa: E402
from bench.slack_service_time import backend_pid, cpu_clock  # noqa: E402


def seed():
    from django.contrib.auth import get_user_model

    from attendance.derivation import week_start_of
    from attendance.models import DayState, WorkDay
    from erp.people.models import Employee
    from erp.workcalendar.calendar import KST, get_calendar
    from leave.models import LeaveProfile

    user, _ = get_user_model().objects.get_or_create(username="bench-leave")
    employee, _ = Employee.objects.get_or_create(user=user, defaults={"display_name": "벤치", "employee_no": "B0001"})
    LeaveProfile.objects.update_or_create(employee=employee, defaults={"hire_date": date(2020, 3, 2)})
    WorkDay.objects.filter(employee=employee).delete()
    calendar, day, rows = get_calendar(), date(2025, 3, 2), []
    while day < date(2026, 12, 1):
        if calendar.is_working_day(day):
            rows.append(
                WorkDay(
                    employee=employee,
                    date=day,
                    week_start=week_start_of(day),
                    state=DayState.DONE,
                    first_in=datetime.combine(day, dtime(9), KST),
                    last_out=datetime.combine(day, dtime(18), KST),
                    worked_minutes=480,
                )
            )
        day += timedelta(days=1)
    WorkDay.objects.bulk_create(rows)
    return employee, len(rows)


def measure(employee, rounds: int, clock) -> tuple[list[float], list[float]]:
    from leave.selectors import balance

    on = date(2026, 12, 2)
    balance(employee, on)  # warm the calendar and the connection
    walls, cpus = [], []
    for _ in range(rounds):
        started, cpu = time.perf_counter(), clock()
        balance(employee, on)
        walls.append((time.perf_counter() - started) * 1000)
        cpus.append((clock() - cpu) / 1e6)
    return walls, cpus


def line(label, walls, cpus) -> str:
    p95 = sorted(walls)[int(len(walls) * 0.95) - 1]
    return (
        f"{label:<34} wall median {statistics.median(walls):6.2f} ms  p95 {p95:6.2f} ms  "
        f"CPU (process + backend) median {statistics.median(cpus):6.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=200)
    options = parser.parse_args()
    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from leave.models import LeaveProfile

    employee, days = seed()
    clock = cpu_clock(backend_pid())
    print(f"load average {os.getloadavg()[0]:.2f}; {days} work days in the ledger; {options.rounds} calls each")
    print(line("computed from attendance", *measure(employee, options.rounds, clock)))
    LeaveProfile.objects.filter(employee=employee).update(short_years={"6": True})
    print(line("admin override (no attendance read)", *measure(employee, options.rounds, clock)))
    LeaveProfile.objects.filter(employee=employee).update(short_years={})
    print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
