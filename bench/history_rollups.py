"""Benchmark: the coupon rollup on PostgreSQL — its backfill, a fold of a day of changes, and
the coupon report page read from it.

    .venv/bin/python bench/history_rollups.py [--sends 5000000] [--changes 100000] [--runs 10]

Database ``haru_bench_reports3`` (override with BENCH_REPORTS_DATABASE_URL), migrated by
bench/ticket_list.py's helpers. It loads N coupon sends by COPY (40 clients, 400 campaigns,
30 days), then in-process:

1. the backfill (the first fold reads every send);
2. a day of changes: C sends re-imported (updated_at stamped) and C/2 status polls (pin status
   used or expired, status_checked_at and updated_at stamped), folded in one ``fold()``;
3. /reports/coupons/ (30 days by day) as an admin, through the test client, right after the
   folds and again after VACUUM (ANALYZE) of the rollup tables (what autovacuum does later).

Each step prints wall time and CPU time (this process + its PostgreSQL backend, from
/proc/<pid>/schedstat) beside the load average; nothing is asserted (bench/README.md).
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

os.environ.setdefault(
    "BENCH_TICKETS_DATABASE_URL",
    os.environ.get("BENCH_REPORTS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/haru_bench_reports3"),
)
sys.path.insert(0, str(Path(__file__).resolve().parent))

import ticket_list  # database creation and Django setup; reads the database URL above

CLIENTS, CAMPAIGNS, DAYS = 40, 400, 30


def backend_pid() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def measured(label, function):
    """Run ``function`` once; print wall and CPU (process + database backend) seconds."""
    schedstat = Path(f"/proc/{backend_pid()}/schedstat")
    cpu = lambda: time.process_time_ns() + int(schedstat.read_text().split()[0])  # noqa: E731
    wall, used = time.perf_counter(), cpu()
    result = function()
    print(
        f"{label}: wall {time.perf_counter() - wall:.2f} s, CPU {(cpu() - used) / 1e9:.2f} s "
        f"(load {os.getloadavg()[0]:.1f}) → {result}"
    )
    return result


def load(count: int) -> None:
    from django.db import connection

    from coupons.models import Campaign, Client, Goods, SendLog

    if SendLog.objects.count() >= count:
        return
    SendLog.objects.all().delete()
    clients = [Client.objects.get_or_create(name=f"고객사 {n:02d}")[0] for n in range(CLIENTS)]
    campaigns = [
        Campaign.objects.get_or_create(client=clients[n % CLIENTS], name=f"캠페인 {n:03d}")[0] for n in range(CAMPAIGNS)
    ]
    goods = Goods.objects.get_or_create(code="G00000182305", defaults={"name": "아메리카노 T", "sell_price": 4230})[0]
    rng = random.Random(5)
    first = datetime(2026, 11, 1, 9, 0).astimezone()
    began = time.perf_counter()
    with connection.connection.cursor() as cursor:
        columns = (
            "tr_id, client_id, campaign_id, goods_id, phone, phone_last4, sent_at, result_code, result_message, "
            "succeeded, delivered, order_no, pin_status_code, pin_status, sell_price, consumer_price, updated_at"
        )
        with cursor.copy(f"COPY coupons_sendlog ({columns}) FROM STDIN") as copy:
            for n in range(count):
                campaign = campaigns[rng.randrange(CAMPAIGNS)]
                ok = rng.random() < 0.95
                phone = f"010{rng.randrange(10**8):08d}"
                sent = first + timedelta(minutes=rng.randrange(DAYS * 24 * 60))
                copy.write_row(
                    (f"TR{n:012d}", campaign.client_id, campaign.pk, goods.pk, phone, phone[-4:], sent,
                     "0000" if ok else "E001", "" if ok else "수신 거부", ok, ok, f"O{n}", "01" if ok else "",
                     "issued" if ok else "", 4230, 4500, sent)
                )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) coupons_sendlog")
        cursor.execute("TRUNCATE history_rollupcell, history_rollupfact, history_rollupchange, history_rollupcursor")
    print(f"{count:,} sends by COPY + VACUUM in {time.perf_counter() - began:.1f} s")


def day_of_changes(count: int, changes: int) -> None:
    from django.db import connection

    rng = random.Random(9)
    reimported = rng.sample(range(1, count + 1), changes)
    polled = rng.sample(range(1, count + 1), changes // 2)
    with connection.cursor() as cursor:
        # The import's bulk update and the status poll's UPDATE (coupons.sending.status_applied), each
        # stamping updated_at, the rollup's change feed.
        cursor.execute(
            "UPDATE coupons_sendlog SET succeeded = NOT succeeded, updated_at = now() WHERE id = ANY(%s)", [reimported]
        )
        cursor.execute(
            "UPDATE coupons_sendlog SET pin_status = CASE WHEN id %% 2 = 0 THEN 'used' ELSE 'expired' END,"
            " status_checked_at = now(), updated_at = now() WHERE id = ANY(%s)",
            [polled],
        )


def report_page(runs: int) -> str:
    from django.contrib.auth import get_user_model
    from django.test import Client

    admin = get_user_model().objects.filter(is_superuser=True).first() or get_user_model().objects.create_superuser(
        "bench-admin", password="pw-for-bench-1"
    )
    http = Client()
    http.force_login(admin)
    times = []
    for _run in range(runs):
        began = time.perf_counter()
        response = http.get("/reports/coupons/", {"start": "2026-11-01", "end": "2026-11-30"})
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, response.status_code
    times.sort()
    return f"p50 {statistics.median(times):.0f} ms, p95 {times[int(len(times) * 0.95) - 1]:.0f} ms over {runs}"


def vacuum_rollup_tables() -> None:
    """What autovacuum does a while after a big fold: every upsert leaves a dead cell version,
    and until they are vacuumed (and the planner has statistics) the report reads through them."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) history_rollupcell")
        cursor.execute("VACUUM (ANALYZE) history_rollupfact")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sends", type=int, default=5_000_000)
    parser.add_argument("--changes", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--page-only", action="store_true", help="only the report page, before and after VACUUM")
    args = parser.parse_args()
    ticket_list.ensure_database()
    ticket_list.setup_django()
    from erp.history.rollups import fold, get_rollup

    load(args.sends)
    if args.page_only:
        measured("/reports/coupons/, 30 days by day", lambda: report_page(args.runs))
        vacuum_rollup_tables()
        measured("/reports/coupons/, 30 days by day, after VACUUM (ANALYZE)", lambda: report_page(args.runs))
        return
    rollup = get_rollup("coupons")
    from django.db import connection

    with connection.cursor() as cursor:  # a rerun on loaded sends starts from an empty rollup too
        cursor.execute("TRUNCATE history_rollupcell, history_rollupfact, history_rollupchange, history_rollupcursor")
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    measured(f"backfill of {args.sends:,} sends", lambda: fold(rollup))
    day_of_changes(args.sends, min(args.changes, args.sends))
    measured(f"fold of {args.changes:,} re-imported + {args.changes // 2:,} polled sends", lambda: fold(rollup))
    measured("the next fold, nothing new (the feeds' scans and the overlap)", lambda: fold(rollup))
    measured("/reports/coupons/, 30 days by day, right after the folds", lambda: report_page(args.runs))
    vacuum_rollup_tables()
    measured("/reports/coupons/, 30 days by day, after VACUUM (ANALYZE)", lambda: report_page(args.runs))
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
