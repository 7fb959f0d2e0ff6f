"""Benchmark: the history search across modules, the dashboards, and folding changes (PostgreSQL).

    .venv/bin/python bench/history_search.py                  # the issue's scale (--scale 1)
    .venv/bin/python bench/history_search.py --scale 0.1      # a tenth of every table
    .venv/bin/python bench/history_search.py --reuse          # measure what is loaded, load nothing

Database ``haru_bench_history`` (override with BENCH_HISTORY_DATABASE_URL). At ``--scale 1``:
1,000,000 tickets + 1,000,000 comments (bench/ticket_list.py's corpus and loader, plus half the
comments here), 1,000,000 inquiries (+100,000 notes), 5,000,000 coupon sends, 100,000 bookings
and 1,000,000 alert items (in 200,000 groups), all by COPY (bench/history_corpus.py), plus the
demo people and 2,000 attendance corrections. The terms are planted so their counts are known:
장애 frequent in every module, 감염 in exactly 3 rows of each, 누수 in none.

``--parts`` picks what is measured (default: search):

1. search: the cross-module first page (erp.history.engine.overview: every registered source,
   first 5 hits and a capped count each, probes included) for 장애 / 감염 / 누수 as an admin and
   as an agent: p50/p95 wall, CPU per search (this process + its PostgreSQL backend, from
   /proc/<pid>/schedstat), each single-module search's p95 in the same run, and the naive form
   (Django ``icontains`` over the same columns and rules, the LIKE oracle) whose hits and capped
   counts must be the same;
2. dashboards: /reports/tickets/, /reports/attendance/ and the home page, through the test client;
3. fold: the backfill of the ticket rollup, then 100,000 ticket changes folded in one ``fold()``.

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
# The side-by-side threads' connections last the run, so their backends' CPU can be read.
os.environ.setdefault("DATABASE_CONN_MAX_AGE", "3600")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import history_corpus as corpus
import ticket_list

TERMS = [(corpus.FREQUENT, "frequent"), (corpus.RARE, "rare (3)"), (corpus.ABSENT, "absent")]
CHANGES = 100_000
# At --scale 1: the sizes.
SIZES = {
    "tickets": 1_000_000,
    "inquiries": 1_000_000,
    "sends": 5_000_000,
    "bookings": 100_000,
    "alert_items": 1_000_000,
}
# Comments the second half adds (every even ticket), 1 in 16 about an outage: 장애 is frequent there too.
MORE_REPLIES = [*ticket_list.REPLIES, "장애 원인 분석 중입니다."]


def more_comments(count: int) -> None:
    """Comments on the even tickets, so N tickets carry N comments."""
    from tickets.models import Comment

    rng = random.Random(7)
    agents = [user.pk for user in ticket_list.people()]

    def rows():
        for ticket_id in range(2, count + 1, 2):
            body = MORE_REPLIES[-1] if ticket_id % 32 == 2 else rng.choice(ticket_list.REPLIES)
            yield ticket_id, rng.choice(agents), body, rng.random() < 0.2, "web", corpus.BASE

    given = ("ticket_id", "author_id", "body", "internal", "source", "created_at")
    corpus.loading(["tickets_comment"], lambda: {"more comments": corpus.copy_rows(Comment, given, rows())},
                   truncate=False)  # fmt: skip


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


def backend_pid() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def backend_pids() -> list[int]:
    """This process's database backends: its own and the side-by-side threads' (erp.core.fanout)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'"
        )
        return [pid for (pid,) in cursor.fetchall()]


def cpu_clock():
    """Nanoseconds of CPU this process (every thread) and its database backends have used so far.
    The backends are listed once: the connections last the run (DATABASE_CONN_MAX_AGE above)."""
    stats = [Path(f"/proc/{pid}/schedstat") for pid in backend_pids()]

    def used(stat: Path) -> int:
        try:
            return int(stat.read_text().split()[0])
        except FileNotFoundError:  # a backend that closed since
            return 0

    return lambda: time.process_time_ns() + sum(used(stat) for stat in stats)


def timed(function, runs):
    """(p50 ms, p95 ms, CPU p50 ms, the last result) of ``function`` after a warm-up call."""
    function()
    cpu = cpu_clock()
    times, cpus = [], []
    for _ in range(runs):
        began, began_cpu = time.perf_counter(), cpu()
        result = function()
        times.append((time.perf_counter() - began) * 1000)
        cpus.append((cpu() - began_cpu) / 1e6)
    times.sort()
    return (
        statistics.median(times),
        times[min(len(times) - 1, round(0.95 * len(times)) - 1)],
        statistics.median(cpus),
        result,
    )


def naive_q(user, source, text):
    """The same rules as the source's, written with Django ``icontains`` (UPPER(..) LIKE, no index)."""
    from functools import reduce
    from operator import or_

    from django.db.models import Exists, OuterRef, Q

    from erp.core.search import RelatedText
    from inquiries.selectors.access import can_handle
    from tickets.selectors import handler_q

    def related(field, **extra):
        rows = field.model._default_manager.filter(**{field.parent: OuterRef("pk"), f"{field.field}__icontains": text})
        return Q(Exists(rows.filter(**extra)))

    if source.key == "coupon_sends":  # coupons.selectors.send_search_q: exact ids, client or campaign name
        return Q(tr_id=text) | Q(order_no=text) | Q(client__name__icontains=text) | Q(campaign__name__icontains=text)
    fields = source.fields
    if source.key == "inquiries" and not can_handle(user):  # notes are for the sales team only
        fields = [f for f in fields if not isinstance(f, RelatedText)]
    conditions = []
    for field in fields:
        if not isinstance(field, RelatedText):
            conditions.append(Q(**{f"{field}__icontains": text}))
        elif field.private is None:
            conditions.append(related(field))
        else:  # tickets: internal notes only for those who handle the ticket
            handled = handler_q(user)
            conditions.append(
                related(field) if handled is None else related(field, internal=False) | (handled & related(field))
            )
    return reduce(or_, conditions)


def naive(user, source, request):
    """First 5 hits and the capped count, as the engine shows them, from the naive match."""
    from erp.history.engine import OVERVIEW_COUNT_CAP, Count, capped_count, in_order

    records = source.for_user(user)
    if records.query.is_empty():
        return [], None
    records = records.filter(naive_q(user, source, request.words[0].text))
    hits = list(in_order(records, source, request)[:5])
    if not hits:
        return [], None
    return hits, capped_count(records, OVERVIEW_COUNT_CAP) if len(hits) == 5 else Count(len(hits), False)


def measure_search(viewers, runs):
    from django.conf import settings

    from erp.core.search import search_sources
    from erp.history import engine
    from erp.history.terms import parse_words

    sources = search_sources()
    print(f"\ncross-module search, first page (5 hits + capped count per module); {runs} runs; ms")
    print("single-module p95s: " + " ".join(f"{n}={s.key}" for n, s in enumerate(sources, 1)))
    print(f"side by side: {settings.FANOUT_THREADS} threads (erp.core.fanout); 'series' = FANOUT_THREADS=1")
    print(f"{'viewer':6} {'term':5} {'kind':9} {'p50':>6} {'p95':>6} {'cpu50':>6} {'series p95':>10} "
          f"{'series cpu50':>12}  {'single-module p95s':47} {'max':>6} {'ratio':>5} {'naive p95':>9}  "
          "same hits and counts")  # fmt: skip
    rows = []
    threads = settings.FANOUT_THREADS
    for viewer, user in viewers.items():
        for text, kind in TERMS:
            request = engine.SearchRequest(words=parse_words(text))
            settings.FANOUT_THREADS = 1
            _p50, series_p95, series_cpu50, in_series = timed(lambda r=request, u=user: engine.overview(u, r), runs)
            settings.FANOUT_THREADS = threads
            p50, p95, cpu50, groups = timed(lambda r=request, u=user: engine.overview(u, r), runs)
            assert [g.source.key for g in groups] == [g.source.key for g in in_series]
            singles = []
            for source in sources:
                one = engine.SearchRequest(words=request.words, keys=[source.key])
                singles.append(timed(lambda o=one, u=user: engine.overview(u, o), runs)[1])
            naive_p95, same, counts = 0.0, True, []
            for source in sources:
                _p, p, _c, (hits, count) = timed(lambda s=source, u=user, r=request: naive(u, s, r), max(3, runs // 10))
                naive_p95 += p
                mine = next((g for g in groups if g.source.key == source.key), None)
                same &= [h.pk for h in hits] == ([h.obj.pk for h in mine.hits] if mine else [])
                same &= str(count) == (str(mine.count) if mine else "None")
                counts.append(f"{source.key}={mine.count if mine else 0}")
            slowest = max(singles)
            single_text = " ".join(f"{n}={p:.0f}" for n, p in enumerate(singles, 1))
            print(f"{viewer:6} {text:5} {kind:9} {p50:6.1f} {p95:6.1f} {cpu50:6.1f} {series_p95:10.1f} "
                  f"{series_cpu50:12.1f}  {single_text:47} "
                  f"{slowest:6.1f} {p95 / slowest:5.2f} {naive_p95:9.0f}  {'yes' if same else 'NO'}  "
                  f"({', '.join(counts)})")  # fmt: skip
            rows.append((viewer, text, p95, slowest, same))
    print(f"load average: {os.getloadavg()[0]:.1f}")
    return rows


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
            p50, p95, cpu50, response = timed(lambda u=url, c=client: c.get(u), runs)
            print(f"{viewer:8} {label:30} p50 {p50:7.1f}  p95 {p95:7.1f}  CPU p50 {cpu50:7.1f}  "
                  f"status {response.status_code}")  # fmt: skip


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
    changes = min(CHANGES, count)
    spread = rng.sample(range(1, count + 1), changes)
    # The worst case above (tickets from the whole history, each change its own cells), and a day
    # as it comes: changes to the tickets filed lately (the newest tenth, a few changes each).
    recent = [rng.randint(count - count // 10 + 1, count) for _ in range(changes)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        schedstat = Path(f"/proc/{cursor.fetchone()[0]}/schedstat")
    cpu = lambda: time.process_time_ns() + int(schedstat.read_text().split()[0])  # noqa: E731
    for kind, ids in (("across the history", spread), ("to the newest tenth", recent)):
        with connection.cursor() as cursor:
            # A day of changes: resolutions, reopenings and first replies, each bumping updated_at.
            cursor.execute(
                "UPDATE tickets_ticket SET"
                " status = CASE WHEN status IN ('resolved','closed') THEN 'open' ELSE 'resolved' END,"
                " resolved_at = CASE WHEN status IN ('resolved','closed') THEN NULL ELSE now() END,"
                " first_responded_at = coalesce(first_responded_at, now()), updated_at = now() WHERE id = ANY(%s)",
                [ids],
            )
        labels = (f"fold of {len(ids):,} ticket changes {kind}", "the next fold, nothing new (the overlap)")
        for label in labels:
            began, used = time.perf_counter(), cpu()
            result = fold(rollup)
            print(f"{label}: wall {time.perf_counter() - began:.2f} s, CPU {(cpu() - used) / 1e9:.2f} s "
                  f"(process + backend; load {os.getloadavg()[0]:.1f}) ({result.records:,} records, "
                  f"{result.changed:,} changed contributions, {result.cells:,} cells upserted)")  # fmt: skip


def load(scale: float, overrides: dict[str, int], modules) -> None:
    """Load ``modules`` (of SIZES) at ``scale`` × SIZES, or the ``overrides`` (tickets first: the
    other loaders need the people)."""
    from django.db import connection

    from tickets.models import Ticket

    sizes = {name: overrides.get(name, max(20, int(size * scale))) for name, size in SIZES.items()}
    began = time.perf_counter()
    print(f"loading {', '.join(f'{n:,} {name}' for name, n in sizes.items() if name in modules)} "
          f"(load {os.getloadavg()[0]:.1f})")  # fmt: skip
    if "tickets" in modules:
        ticket_list.load(sizes["tickets"], force=True)
        with connection.cursor() as cursor:  # the rollup of a previous corpus would be stale
            cursor.execute(
                "TRUNCATE history_rollupcell, history_rollupfact, history_rollupchange, history_rollupcursor"
            )
        more_comments(sizes["tickets"])
        corrections()
    loaders = {"inquiries": corpus.load_inquiries, "sends": corpus.load_sends, "bookings": corpus.load_bookings,
               "alert_items": corpus.load_alerts}  # fmt: skip
    for name, loader in loaders.items():
        if name in modules:
            loader(sizes[name])
    corpus.check_absent()
    took, load_average = time.perf_counter() - began, os.getloadavg()[0]
    print(f"loaded in {took:.0f} s; {Ticket.objects.count():,} tickets (load {load_average:.1f})")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the issue's sizes to load")
    parser.add_argument("--reuse", action="store_true", help="measure the data already loaded, load nothing")
    parser.add_argument("--load", help="load only these (comma-separated, of: tickets, " + ", ".join(SIZES) + ")")
    parser.add_argument("--size", action="append", default=[], metavar="NAME=N", help=f"override: {', '.join(SIZES)}")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--parts", default="search", help="comma-separated: search, dashboards, fold")
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    ticket_list.ensure_database()
    ticket_list.setup_django()
    from django.contrib.auth import get_user_model

    from tickets.models import Ticket

    if not args.reuse:
        overrides = {name: int(n) for name, n in (item.split("=") for item in args.size)}
        load(args.scale, overrides, args.load.split(",") if args.load else SIZES)
    User = get_user_model()
    viewers = {"admin": User.objects.get(username="admin"), "agent": User.objects.get(username="seoyeon.lee")}
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    if "fold" in parts:
        measure_fold(Ticket.objects.order_by("-pk").values_list("pk", flat=True).first() or 0)
    if "search" in parts:
        measure_search(viewers, args.runs)
    if "dashboards" in parts:
        manager = User.objects.filter(employee__role="manager").first()
        measure_dashboards({"admin": viewers["admin"], "manager": manager, "agent": viewers["agent"]}, args.runs)
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
