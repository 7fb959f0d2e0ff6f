"""Coupon send logs at scale: file import vs psql \\copy, re-import, daily summary, phone search.

Against a dedicated PostgreSQL database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/haru_bench_coupons), in this process:

1. writes a Giftishow-style CSV of --rows sends (UTF-8, 13 columns, all on one KST day);
2. ``psql \\copy`` of that file into a table with the same columns and the same indexes as the
   send log (unique tr_id, phone, sent_at, order number), timed;
3. the import end to end (coupons.importing.run.import_file: read, check every row, COPY into the
   staging table, one upsert into coupons_sendlog), timed, rows/s and the ratio to psql;
4. the same file again: must add 0 and update 0;
5. the daily summary's figures for that day (coupons.reports.period_figures + the Slack blocks);
6. grows the send log to --search-rows with generated rows (SQL), then times --queries phone
   searches (full number and last four, first page of the send-log list), p50/p95.

Targets (issue 12): import ≥ 50,000 rows/s and ≤ 2× psql \\copy; re-import adds 0; summary of a
1,000,000-send day ≤ 1 s; phone search p95 ≤ 50 ms at 5,000,000 rows. Prints figures only.

    .venv/bin/python bench/coupon_import.py [--rows 1000000] [--search-rows 5000000] [--queries 200]
"""

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/haru_bench_coupons")
HEADER = "tr_id,client,campaign,goods_code,phone,sent_at,result_code,result_message,order_no,pin_status_code,valid_until,sell_price,consumer_price"
CLIENTS = ("하루커피", "한빛생명", "누리몰")
GOODS = ("G00000182305", "G00000280811", "G00000193001", "G00000350012", "G00000411107", "G00000120098")


def setup():
    import psycopg

    admin_url = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    name = DATABASE_URL.rsplit("/", 1)[1]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(
                f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
            )
    var = Path(tempfile.gettempdir()) / "haru-bench-coupons"
    var.mkdir(exist_ok=True)
    os.environ.update(
        DATABASE_URL=DATABASE_URL,
        DJANGO_SETTINGS_MODULE="erp.settings.base",
        HARU_VAR_DIR=str(var),
        REDIS_URL="",
        LOG_LEVEL="WARNING",
        PYTHONWARNINGS="ignore::UserWarning",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE coupons_sendlog, coupons_importrun RESTART IDENTITY CASCADE")


def write_csv(path: Path, rows: int) -> None:
    rng = random.Random(12)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER + "\n")
        for n in range(rows):
            client = CLIENTS[n % 3]
            second = n % 86400
            phone = f"010{rng.randint(2000, 9999)}{rng.randint(0, 9999):04d}"
            failed = n % 37 == 0
            out.write(
                f"B{n:011d},{client},{client} 이벤트 {n % 4 + 1},{GOODS[n % 6]},{phone},"
                f"2026-11-30 {second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d},"
                f"{'E0101' if failed else '0000'},{'판매 중지' if failed else ''},{'' if failed else f'O{n:012d}'},"
                f"{'' if failed else ('02' if n % 3 == 0 else '01')},20261230,4230,4500\n"
            )


def psql_copy(path: Path) -> float:
    ddl = """
    DROP TABLE IF EXISTS bench_psql_copy;
    CREATE TABLE bench_psql_copy (tr_id varchar(40) PRIMARY KEY, client text, campaign text, goods_code text,
        phone varchar(11), sent_at timestamptz, result_code text, result_message text, order_no text,
        pin_status_code text, valid_until timestamptz, sell_price int, consumer_price int);
    CREATE INDEX ON bench_psql_copy (phone, sent_at DESC);
    CREATE INDEX ON bench_psql_copy (sent_at);
    CREATE INDEX ON bench_psql_copy (order_no);
    """
    env = {**os.environ, "PGTZ": "Asia/Seoul"}
    subprocess.run(["psql", DATABASE_URL, "-q", "-c", ddl], check=True, env=env)
    started = time.perf_counter()
    subprocess.run(
        ["psql", DATABASE_URL, "-q", "-c", f"\\copy bench_psql_copy FROM '{path}' WITH (FORMAT csv, HEADER true)"],
        check=True,
        env=env,
    )
    elapsed = time.perf_counter() - started
    subprocess.run(["psql", DATABASE_URL, "-q", "-c", "DROP TABLE bench_psql_copy"], check=True, env=env)
    return elapsed


def run_import(path: Path):
    from coupons.importing.run import import_file
    from coupons.models import ImportRun

    run = ImportRun.objects.create(source="command", filename=path.name)
    started = time.perf_counter()
    with path.open("rb") as stream:
        run = import_file(run, stream)
    return run, time.perf_counter() - started


def summary_seconds() -> float:
    from datetime import date

    from coupons import reports
    from integrations.slack.coupons.blocks import daily_summary

    day = date(2026, 11, 30)
    started = time.perf_counter()
    figures = reports.period_figures(day, day)
    previous = reports.period_figures(date(2026, 11, 27), date(2026, 11, 29), detail=False)
    average, _cost = reports.daily_average(date(2026, 11, 29))
    daily_summary(team="bench", figures=figures, previous=previous, average_per_day=average, balance=10**7, days_left=3)
    elapsed = time.perf_counter() - started
    print(f"  summary figures: {figures.sent:,} sent, {figures.failed:,} failed, cost {figures.cost:,}")
    return elapsed


def grow(total: int) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), min(client_id) FROM coupons_sendlog")
        have, client_id = cursor.fetchone()
        if have >= total:
            return
        cursor.execute(
            """
            INSERT INTO coupons_sendlog (tr_id, client_id, phone, phone_last4, sent_at, result_code, result_message,
                succeeded, delivered, order_no, pin_status_code, pin_status, sell_price, consumer_price, updated_at)
            SELECT 'G' || lpad(g::text, 11, '0'), %s, p, right(p, 4),
                   timestamptz '2026-06-01 00:00+09' + (g %% 15552000) * interval '1 second',
                   '0000', '', true, true, '', '01', 'issued', 4230, 4500, now()
            FROM generate_series(1, %s) AS g,
                 LATERAL (SELECT '010' || lpad(((g * 7919) %% 80000000 + 20000000)::text, 8, '0') AS p) AS phone
            """,
            [client_id, total - have],
        )
        cursor.execute("VACUUM ANALYZE coupons_sendlog")


def search_timings(queries: int) -> dict[str, list[float]]:
    from django.contrib.auth import get_user_model
    from django.test import Client as WebClient

    from coupons.filters import SendLogFilter
    from coupons.models import SendLog
    from erp.core.pagination import keyset_page

    user, _ = get_user_model().objects.get_or_create(username="bench-coupons", defaults={"is_superuser": True})
    phones = list(SendLog.objects.order_by("?").values_list("phone", flat=True)[:queries])
    timings = {"full number": [], "last four": []}
    for phone in phones:
        for kind, term in (("full number", f"{phone[:3]}-{phone[3:7]}-{phone[7:]}"), ("last four", phone[-4:])):
            started = time.perf_counter()
            filterset = SendLogFilter(
                {"q": term}, queryset=SendLog.objects.select_related("client", "campaign", "goods")
            )
            page = keyset_page(filterset.qs, order=[("sent_at", True), ("id", True)], cursor=None, page_size=50)
            [send.masked_phone for send in page.items]
            timings[kind].append((time.perf_counter() - started) * 1000)
    del user, WebClient
    return timings


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p / 100))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--search-rows", type=int, default=5_000_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    setup()
    path = Path(tempfile.gettempdir()) / f"haru-bench-coupons-{args.rows}.csv"
    if not path.exists():
        write_csv(path, args.rows)
    print(f"file: {path.stat().st_size / 2**20:.0f} MB, {args.rows:,} rows")
    psql = psql_copy(path)
    print(f"psql \\copy into an equally indexed table: {psql:.1f} s ({args.rows / psql:,.0f} rows/s)")
    run, elapsed = run_import(path)
    print(
        f"import end to end: {elapsed:.1f} s ({args.rows / elapsed:,.0f} rows/s), {elapsed / psql:.2f}× psql; "
        f"{run.inserted:,} added, {run.error_count:,} errors"
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE coupons_sendlog")
    again, elapsed = run_import(path)
    print(f"re-import: {elapsed:.1f} s, {again.inserted} added, {again.updated} updated, {again.unchanged:,} unchanged")
    print(f"daily summary over the {args.rows:,}-send day: {summary_seconds() * 1000:.0f} ms")
    grow(args.search_rows)
    print(f"send log grown to {args.search_rows:,} rows")
    for kind, values in search_timings(args.queries).items():
        print(
            f"phone search ({kind}), {len(values)} queries: p50 {pct(values, 50):.1f} ms, p95 {pct(values, 95):.1f} ms"
        )


if __name__ == "__main__":
    main()
