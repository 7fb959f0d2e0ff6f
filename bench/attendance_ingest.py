"""Device ingestion end to end: 100,000 punches in batches of 500 through POST /api/attendance/punches.

Runs the real WSGI app under gunicorn on 127.0.0.1 against a dedicated PostgreSQL database
(see attendance_common.py), with one client thread per device replaying a year of punches
for 200 people (the offline-backlog case: every batch re-derives the days it touches).
Target: ≥ 2,000 punches/s. Prints the figures; asserts nothing about time.

    .venv/bin/python bench/attendance_ingest.py [--punches 100000] [--batch 500] [--workers 4]
"""

import argparse
import http.client
import json
import os
import sys
import threading
import time
from datetime import datetime, timedelta
from datetime import time as dtime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import attendance_common as common


def build_streams(employees, devices, total: int, start_day) -> list[list[dict]]:
    """Per device, chronological punches of its share of the employees (9 h days on working days)."""
    from erp.workcalendar.calendar import KST, get_calendar

    calendar = get_calendar()
    groups = [employees[i :: len(devices)] for i in range(len(devices))]
    streams = [[] for _ in devices]
    count, day = 0, start_day
    while count < total:
        if calendar.is_working_day(day):
            for stream, group in zip(streams, groups, strict=True):
                for n, employee in enumerate(group):
                    if count >= total:
                        break
                    start = datetime.combine(day, dtime(8, 30), KST) + timedelta(minutes=(n * 7 + day.day * 3) % 60)
                    for kind, moment in (("in", start), ("out", start + timedelta(hours=9, minutes=n % 30))):
                        stream.append(
                            {
                                "event_id": f"{employee.employee_no}-{day:%Y%m%d}-{kind}",
                                "employee": employee.employee_no,
                                "timestamp": moment.isoformat(),
                                "direction": kind if n % 3 else None,
                            }
                        )
                        count += 1
        day += timedelta(days=1)
    return streams


def post_batches(port, device_code, token, batches, latencies, tallies, lock):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Content-Type": "application/json", "Authorization": f"Device {token}"}
    for batch in batches:
        body = json.dumps({"device_id": device_code, "punches": batch})
        started = time.perf_counter()
        conn.request("POST", "/api/attendance/punches", body=body, headers=headers)
        response = conn.getresponse()
        payload = json.loads(response.read())
        elapsed = time.perf_counter() - started
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status}: {payload}")
        with lock:
            latencies.append(elapsed)
            for key in ("accepted", "duplicates", "unmatched", "rejected"):
                tallies[key] += payload[key]
    conn.close()


def run(streams, devices, port, batch_size):
    latencies, tallies, lock = (
        [],
        dict.fromkeys(("accepted", "duplicates", "unmatched", "rejected"), 0),
        threading.Lock(),
    )
    threads = []
    for stream, (device, token) in zip(streams, devices, strict=True):
        batches = [stream[i : i + batch_size] for i in range(0, len(stream), batch_size)]
        threads.append(
            threading.Thread(target=post_batches, args=(port, device.code, token, batches, latencies, tallies, lock))
        )
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, latencies, tallies


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--punches", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    args = parser.parse_args()
    args.port = args.port or common.free_port()

    common.ensure_database()
    common.setup_django()
    from django.utils import timezone

    from attendance.models import Punch, WorkDay

    common.reset_attendance_tables()
    _manager, employees = common.bench_people()
    devices = common.bench_devices()
    start_day = timezone.localdate() - timedelta(days=400)
    streams = build_streams(employees, devices, args.punches, start_day)
    total = sum(len(s) for s in streams)
    server = common.start_server(args.port, args.workers)
    load_before = os.getloadavg()[0]
    try:
        wall, latencies, tallies = run(streams, devices, args.port, args.batch)
        replay_wall, _, replay = run([s[: args.batch * 2] for s in streams], devices, args.port, args.batch)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        f"database: {common.DATABASE_URL.rsplit('/', 1)[1]}, gunicorn workers: {args.workers}, devices: {len(devices)}"
    )
    print(f"machine: {os.cpu_count()} CPUs, load average {load_before:.1f} before / {os.getloadavg()[0]:.1f} after")
    print(f"punches sent: {total} in {len(latencies)} batches of {args.batch}")
    print(f"wall time: {wall:.2f} s  →  {total / wall:,.0f} punches/s end to end (target ≥ 2,000)")
    print(
        f"batch latency: p50 {common.percentile(latencies, 50) * 1000:.0f} ms, "
        f"p95 {common.percentile(latencies, 95) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms"
    )
    print(f"tally: {tallies}")
    print(f"replay of {sum(replay.values())} already-sent punches: {replay} in {replay_wall:.2f} s")
    print(f"stored: {Punch.objects.count()} punches, {WorkDay.objects.count()} work days")


if __name__ == "__main__":
    main()
