"""Benchmark: the history search across modules, the dashboards, and folding changes (PostgreSQL).

    .venv/bin/python bench/history_search.py [--tickets 1000000] [--runs 30] [--reload]

Reuses bench/ticket_list.py's corpus and COPY loader in its own database ``haru_bench_history``
(override with BENCH_HISTORY_DATABASE_URL): N tickets and N/2 comments, then N/2 more comments
here (so N comments), the demo people, and attendance corrections. Then, in-process:

1. cross-module search (erp.history.engine.overview: every registered source, first 5 hits and
   a capped count each, probes included) for a 2-syllable word that is frequent (장애), rare
   (감염: 3 titles) and absent (누수), as an admin and as an agent; beside it every single-module
   search of the same run, and the naive form (Django ``icontains`` over the same columns,
   newest 5 + the same capped count), whose hits must be the same;
2. dashboards: /reports/tickets/ (30 days by day, then 12 weeks by week) and /reports/attendance/
   and the home page with its widgets, through the test client;
3. folding: the backfill of the ticket rollup, then 100,000 ticket changes (status, resolution,
   first response, updated_at) folded in one ``fold()``.

It prints its figures; nothing is asserted on wall time (bench/README.md "## History search").
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault(
    "BENCH_TICKETS_DATABASE_URL",
    os.environ.get("BENCH_HISTORY_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/haru_bench_history"),
)
sys.path.insert(0, str(Path(__file__).resolve().parent))

import ticket_list  # the corpus and loader; reads the database URL above

TERMS = [("장애", "frequent"), ("감염", "rare (3)"), ("누수", "absent")]
CHANGES = 100_000


def more_comments(count: int) -> None:
    """Comments on the even tickets, so N tickets carry N comments."""
    from django.db import connection

    from tickets.models import Comment

    if Comment.objects.filter(ticket_id=2).exists():
        return
    rng = random.Random(7)
    agents = list(ticket_list.people())
    raw = connection.connection
    started = time.perf_counter()
    with raw.cursor() as cursor:
        with cursor.copy(
            "COPY tickets_comment (ticket_id, author_id, body, internal, source, created_at) FROM STDIN"
        ) as copy:
            for ticket_id in range(2, count + 1, 2):
                copy.write_row(
                    (
                        ticket_id,
                        rng.choice(agents).pk,
                        rng.choice(ticket_list.REPLIES),
                        rng.random() < 0.2,
                        "web",
                        "2026-11-01 10:00+09",
                    )
                )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) tickets_comment")
    print(f"{count // 2:,} more comments by COPY + VACUUM in {time.perf_counter() - started:.1f} s")


def corrections() -> None:
    from datetime import date, timedelta

    from attendance.models import Correction
    from erp.people.models import Employee

    if Correction.objects.exists():
        return
    staff = list(Employee.objects.all())
    rng = random.Random(3)
    reasons = ["지문 인식기 장애로 퇴근 누락", "외근 후 퇴근 체크를 잊었습니다", "고객사 미팅 후 퇴근 체크 누락"]
    rows = [
        Correction(
            employee=rng.choice(staff), date=date(2026, 1, 1) + timedelta(days=i % 300), reason=rng.choice(reasons)
        )
        for i in range(2000)
    ]
    Correction.objects.bulk_create(rows, ignore_conflicts=True)  # one pending correction per person and day


def timed(function, runs):
    function()
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * len(times)) - 1)], result


def naive(user, source, request):
    """icontains over the same columns (Django's UPPER(..) LIKE, no index), same permissions."""
    from functools import reduce
    from operator import or_

    from django.db.models import Exists, OuterRef, Q

    from erp.core.search import RelatedText
    from erp.history.engine import capped_count, in_order

    text = request.words[0].text
    conditions = []
    for field in source.fields:
        if isinstance(field, RelatedText):
            related = field.model._default_manager.filter(
                **{field.parent: OuterRef("pk"), f"{field.field}__icontains": text}
            )
            conditions.append(Q(Exists(related)))
        else:
            conditions.append(Q(**{f"{field}__icontains": text}))
    records = source.for_user(user).filter(reduce(or_, conditions))
    hits = list(in_order(records, source, request)[:5])
    return hits, capped_count(records) if len(hits) == 5 else len(hits)


def measure_search(viewers, runs):
    from erp.core.search import search_sources
    from erp.history import engine
    from erp.history.terms import parse_words

    print(f"\ncross-module search, first page (5 hits + capped count per module); {runs} runs; ms")
    print(f"{'viewer':6} {'term':5} {'kind':10} {'all p50':>8} {'all p95':>8}  single-module p95s                  "
          f"{'naive p95':>9}  same hits")  # fmt: skip
    for viewer, user in viewers.items():
        for text, kind in TERMS:
            request = engine.SearchRequest(words=parse_words(text))
            p50, p95, groups = timed(lambda r=request, u=user: engine.overview(u, r), runs)
            singles = []
            for source in search_sources():
                one = engine.SearchRequest(words=request.words, keys=[source.key])
                singles.append((source.key, timed(lambda o=one, u=user: engine.overview(u, o), runs)[1]))
            naive_runs = max(3, runs // 10)
            naive_p95 = 0.0
            same = True
            for source in search_sources():
                _p, p, (hits, _count) = timed(lambda s=source, u=user, r=request: naive(u, s, r), naive_runs)
                naive_p95 += p
                mine = next((g for g in groups if g.source.key == source.key), None)
                same &= [h.pk for h in hits] == ([h.obj.pk for h in mine.hits] if mine else [])
            single_text = " ".join(f"{key[:12]}={p:.1f}" for key, p in singles)
            print(f"{viewer:6} {text:5} {kind:10} {p50:8.1f} {p95:8.1f}  {single_text:36} {naive_p95:9.0f}  "
                  f"{'yes' if same else 'NO'}")  # fmt: skip


def measure_dashboards(viewers, runs):
    from django.test import Client

    pages = [
        ("/reports/tickets/ (30 days)", "/reports/tickets/?start=2026-11-01&end=2026-11-30"),
        ("/reports/tickets/ (12 weeks)", "/reports/tickets/?start=2026-09-07&end=2026-11-29&bucket=week"),
        ("/reports/attendance/", "/reports/attendance/?start=2026-11-01&end=2026-11-30"),
        ("home page with widgets", "/"),
    ]
    print(f"\ndashboards (test client, full page); {runs} runs; ms")
    for viewer, user in viewers.items():
        client = Client()
        client.force_login(user)
        for label, url in pages:
            p50, p95, response = timed(lambda u=url, c=client: c.get(u), runs)
            print(f"{viewer:8} {label:30} p50 {p50:7.1f}  p95 {p95:7.1f}  status {response.status_code}")


def measure_fold(count):
    from django.db import connection

    from erp.history.models import RollupCursor
    from erp.history.rollups import fold, get_rollup

    rollup = get_rollup("tickets")
    if not RollupCursor.objects.filter(rollup="tickets", folded_until__isnull=False).exists():
        began = time.perf_counter()
        result = fold(rollup)
        print(f"\nbackfill of the ticket rollup: {result.records:,} tickets, {result.cells:,} cells in "
              f"{time.perf_counter() - began:.1f} s (once)")  # fmt: skip
    rng = random.Random(11)
    ids = rng.sample(range(1, count + 1), min(CHANGES, count))
    with connection.cursor() as cursor:
        # A day of changes: resolutions, reopenings and first replies, each bumping updated_at.
        cursor.execute(
            "UPDATE tickets_ticket SET"
            " status = CASE WHEN status IN ('resolved','closed') THEN 'open' ELSE 'resolved' END,"
            " resolved_at = CASE WHEN status IN ('resolved','closed') THEN NULL ELSE now() END,"
            " first_responded_at = coalesce(first_responded_at, now()), updated_at = now() WHERE id = ANY(%s)",
            [ids],
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        schedstat = Path(f"/proc/{cursor.fetchone()[0]}/schedstat")
    cpu = lambda: time.process_time_ns() + int(schedstat.read_text().split()[0])  # noqa: E731
    for label in (f"fold of {len(ids):,} changed tickets", "the next fold, nothing new (the overlap)"):
        began, used = time.perf_counter(), cpu()
        result = fold(rollup)
        print(f"{label}: wall {time.perf_counter() - began:.2f} s, CPU {(cpu() - used) / 1e9:.2f} s "
              f"(process + backend; load {os.getloadavg()[0]:.1f}) ({result.records:,} records, "
              f"{result.changed:,} changed contributions, {result.cells:,} cells upserted)")  # fmt: skip


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--reload", action="store_true")
    parser.add_argument("--skip-search", action="store_true", help="only the rollup fold and the dashboards")
    args = parser.parse_args()
    ticket_list.ensure_database()
    ticket_list.setup_django()
    from django.contrib.auth import get_user_model

    ticket_list.load(args.tickets, force=args.reload)
    if args.reload:  # the rollup of the previous corpus would be stale: start from the backfill
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE history_rollupcell, history_rollupfact, history_rollupchange, history_rollupcursor"
            )
    more_comments(args.tickets)
    corrections()
    User = get_user_model()
    viewers = {"admin": User.objects.get(username="admin"), "agent": User.objects.get(username="seoyeon.lee")}
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    measure_fold(args.tickets)
    if not args.skip_search:
        measure_search(viewers, args.runs)
    manager = User.objects.filter(employee__role="manager").first()
    measure_dashboards({"admin": viewers["admin"], "manager": manager, "agent": viewers["agent"]}, args.runs)
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
