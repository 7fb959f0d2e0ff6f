"""In-process service time of Slack requests, side by side with a bare rendered page.

What it measures: the CPU + database time Django spends on one signed Slack request, with no
network, gunicorn or load generator in the way (Django's test client in this process, the
bench PostgreSQL database). Each kind runs ``--rounds`` times after a warm-up, interleaved
(one request of each kind per round); the figures are median and p95 in ms, and the median as
a multiple of the login page's median measured in the same run (the target of issue 9: read
commands ≤ 3× a bare rendered page). Each is given twice: wall time, and CPU time of this
process plus its PostgreSQL backend (the code's cost without the wait for a core, which on a
shared machine is most of the wall time; see ``cpu_clock``).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/haru_bench_service \\
        .venv/bin/python bench/slack_service_time.py --rounds 60

Slack is left unconfigured (no bot token): every kind here answers in the HTTP body, and the
outbox rows it writes wait as previews, exactly the work of the ack path.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "erp.settings.base")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/haru_bench_service")
os.environ["SLACK_SIGNING_SECRET"] = "bench-signing-secret"
os.environ["SLACK_BOT_TOKEN"] = ""
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost")

from bench.slack_inbound_setup import ensure_database, seed  # noqa: E402


def backend_pid() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def prioritise(niceness: int, backend: int) -> None:
    """Both ends of the measured work at ``niceness``: this process and its database backend."""
    for pid in (os.getpid(), backend):
        os.setpriority(os.PRIO_PROCESS, pid, niceness)
    print(f"niceness {niceness} for the bench (pid {os.getpid()}) and its PostgreSQL backend (pid {backend})")


def cpu_clock(backend: int):
    """Nanoseconds of CPU this thread and the database backend have used so far.

    The kernel's scheduler statistics (/proc/<pid>/schedstat, first field) count the time a
    process actually ran, so the difference across one request is its service time on both
    ends with the waiting for a core left out: on a machine other work is loading, wall time
    measures the queue for the CPU, this measures the code.
    """
    schedstat = Path(f"/proc/{backend}/schedstat")

    def now() -> int:
        return time.thread_time_ns() + int(schedstat.read_text().split()[0])

    return now


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--tickets", type=int, default=200)
    parser.add_argument(
        "--nice",
        type=int,
        default=None,
        help="run this process and its PostgreSQL backend at this niceness (e.g. -15, needs root), so "
        "other work on a shared machine does not decide the figures",
    )
    options = parser.parse_args()
    ensure_database(os.environ["DATABASE_URL"])

    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from tests.fakes.slack_signing import signed_headers, slash_command_body

    data = seed(options.tickets)
    backend = backend_pid()
    if options.nice is not None:
        prioritise(options.nice, backend)
    cpu_now = cpu_clock(backend)
    client = Client()
    number = data["tickets"][len(data["tickets"]) // 2][1]
    agent = data["agents"][0]

    def command(text: str, user: str = agent):
        # A fresh body (new trigger_id) and signature per call, as Slack sends: one signed body
        # sent twice is a replay, which the guard answers without running the command.
        def send():
            body = slash_command_body(settings.SLACK_TICKET_COMMAND, text, user)
            headers = signed_headers(settings.SLACK_SIGNING_SECRET, body)
            return client.post(
                "/slack/commands", data=body, content_type="application/x-www-form-urlencoded", **headers
            )

        return send

    assignees = iter(range(10**9))
    kinds = {
        "login page (baseline)": lambda: client.get("/accounts/login/"),
        "/fs ticket": command(f"ticket {number}"),
        "/fs list": command("list"),
        "/fs search": command("search VPN"),
        "/fs help": command("help"),
        "/fs assign": lambda: command(f"assign {number} <@{data['agents'][next(assignees) % 2 + 1]}|x>")(),
    }
    for call in kinds.values():
        for _ in range(5):
            call()  # warm-up: caches, prepared plans, first-contact lookups
    # Interleaved, one request of each kind per round: a change in the machine's load during
    # the run then weighs on every kind alike, so the ratio to the login page stays honest.
    wall = {name: [] for name in kinds}
    cpu = {name: [] for name in kinds}
    for _ in range(options.rounds):
        for name, call in kinds.items():
            started, cpu_started = time.perf_counter(), cpu_now()
            response = call()
            wall[name].append((time.perf_counter() - started) * 1000)
            cpu[name].append((cpu_now() - cpu_started) / 1e6)
            assert response.status_code == 200, (name, response.status_code, response.content[:200])
    print(f"load average {os.getloadavg()[0]:.1f}; wall = elapsed time, cpu = CPU of this process + its backend")
    wall_base = statistics.median(wall["login page (baseline)"])
    cpu_base = statistics.median(cpu["login page (baseline)"])
    header = ("kind", "wall p50", "wall p95", "× login", "cpu p50", "cpu p95", "× login")
    print(f"{header[0]:<24}" + "".join(f"{h:>9}" for h in header[1:]))
    for name in kinds:
        row = (*percentiles(wall[name]), statistics.median(wall[name]) / wall_base)
        row += (*percentiles(cpu[name]), statistics.median(cpu[name]) / cpu_base)
        print(f"{name:<24}" + "".join(f"{value:9.1f}" for value in row))


def percentiles(samples: list[float]) -> tuple[float, float]:
    return statistics.median(samples), sorted(samples)[int(len(samples) * 0.95) - 1]


if __name__ == "__main__":
    main()
