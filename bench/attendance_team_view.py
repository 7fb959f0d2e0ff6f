"""The manager's team view for 200 people: GET /attendance/team/?date=… over HTTP (gunicorn, PostgreSQL).

Uses the punches left by bench/attendance_ingest.py when present, else ingests two months for
the 200 bench employees in-process first. Each request renders who is in that day, the week's
hours vs 52 h and the month's missing punches for all 200. Also times the month's XLSX/CSV
payroll export and one person's month page. Target: team view p95 ≤ 200 ms.

    .venv/bin/python bench/attendance_team_view.py [--requests 200] [--workers 2]
"""

import argparse
import http.client
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import attendance_common as common


def ensure_data(employees, devices) -> None:
    from attendance_ingest import build_streams
    from django.utils import timezone

    from attendance.models import WorkDay
    from attendance.services import punches_ingest

    if WorkDay.objects.filter(employee__in=employees).count() >= 20 * len(employees):
        return
    start = timezone.localdate() - timedelta(days=62)
    streams = build_streams(employees, devices, 2 * 42 * len(employees), start)
    for stream, (device, _token) in zip(streams, devices, strict=True):
        for offset in range(0, len(stream), 500):
            punches_ingest(device=device, items=stream[offset : offset + 500])


def timed_get(conn, path, cookie) -> tuple[float, int, int]:
    started = time.perf_counter()
    conn.request("GET", path, headers={"Cookie": cookie})
    response = conn.getresponse()
    body = response.read()
    return time.perf_counter() - started, response.status, len(body)


def measure(conn, path, cookie, count, warmup=5) -> list[float]:
    for _ in range(warmup):
        timed_get(conn, path, cookie)
    timings = []
    for _ in range(count):
        elapsed, status, _size = timed_get(conn, path, cookie)
        if status != 200:
            raise RuntimeError(f"{path}: HTTP {status}")
        timings.append(elapsed)
    return timings


def report(label, timings) -> None:
    print(
        f"{label}: n={len(timings)} p50 {common.percentile(timings, 50) * 1000:.0f} ms, "
        f"p95 {common.percentile(timings, 95) * 1000:.0f} ms, max {max(timings) * 1000:.0f} ms"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    common.ensure_database()
    common.setup_django()
    from django.db.models import Max

    from attendance.models import WorkDay

    manager, employees = common.bench_people()
    devices = common.bench_devices()
    ensure_data(employees, devices)
    day = WorkDay.objects.filter(employee__in=employees).aggregate(last=Max("date"))["last"]
    month = f"{day:%Y-%m}"
    cookie = common.login_cookie(manager.user)
    port = common.free_port()
    server = common.start_server(port, args.workers)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        _elapsed, status, size = timed_get(conn, f"/attendance/team/?date={day}", cookie)
        rows = WorkDay.objects.filter(employee__in=employees, date__year=day.year, date__month=day.month).count()
        print(f"team view of {len(employees)} people on {day} (month {month}: {rows} work days); page {size:,} bytes")
        print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} (other jobs share it)")
        report("team view", measure(conn, f"/attendance/team/?date={day}", cookie, args.requests))
        report("person's month", measure(conn, f"/attendance/people/{employees[0].pk}/?month={month}", cookie, 50))
        report("payroll export CSV", measure(conn, f"/attendance/export/?month={month}&format=csv", cookie, 10, 1))
        report("payroll export XLSX", measure(conn, f"/attendance/export/?month={month}&format=xlsx", cookie, 10, 1))
        conn.close()
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
