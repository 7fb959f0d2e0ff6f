"""Benchmark: alert intake, an alert storm into Slack, and a feed polling cycle (prints figures).

1. webhook intake: a generic-JSON webhook source, paced clients sending 100 requests/s for
   60 s (one alert each, over 50 groups) to the real app under gunicorn: latency p50/p99,
   non-202 answers, and whether every sent alert is stored (lost = sent - stored);
2. storm: 10,000 alerts in one minute (2,000 Alertmanager-shaped deliveries of 5 alerts)
   across 20 groups in 4 channels, with a real Celery worker delivering to the local Slack
   stand-in (which enforces Slack's one message per second per channel): every alert
   stored? Slack calls per channel per second (max over 1-s windows), posts vs groups,
   updates, 429s, and how long the outbox took to drain after the storm;
3. feeds: 200 subscriptions against a local feed server, 180 of them answering 304 to the
   conditional GET, 20 with one new entry: the second polling cycle's duration.

Run (PostgreSQL; a dedicated database ``haru_bench_alerts`` is created and reset)::

    .venv/bin/python bench/alerts_intake.py [--rate 100 --seconds 60 --storm 10000]

Uses a throwaway redis-server (broker, pacing cache) on a spare port; everything on 127.0.0.1.
"""

import argparse
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/haru_bench_alerts")

import attendance_common as common  # noqa: E402  (after the sys.path lines)
from slack_common import RedisServer, free_port, percentile  # noqa: E402

TOKEN = "xoxb-bench-token"
CHANNELS = ["CALERT001", "CALERT002", "CALERT003", "CALERT004"]  # the storm's
# The intake's own channel: its cards were still being paced into a storm channel when the storm
# began, and the storm then counted them as its own posts (25 posts for 20 groups in one run).
INTAKE_CHANNEL = "CALERT000"
TICKS = os.sysconf("SC_CLK_TCK")


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        path = Path(f"/proc/{current}/task/{current}/children")
        todo += [int(p) for p in path.read_text().split()] if path.exists() else []
    return found


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:  # gone meanwhile
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


class CpuMeter:
    """CPU seconds of the server side: gunicorn and the Celery worker (every process below
    them) and the PostgreSQL backends of the bench database. On a shared box the wall
    figures measure the machine; these measure the code."""

    def __init__(self, processes: list[subprocess.Popen]):
        self.roots = [p.pid for p in processes]

    def _backends(self) -> list[int]:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            return [row[0] for row in cursor.fetchall()]

    def sample(self) -> dict[int, tuple[str, float]]:
        sides = ("web", "worker")  # the processes are gunicorn, then the Celery worker
        seen = {
            pid: (sides[min(index, 1)], _cpu_seconds(pid))
            for index, root in enumerate(self.roots)
            for pid in _descendants(root)
        }
        seen.update({pid: ("postgres", _cpu_seconds(pid)) for pid in self._backends()})
        return seen

    def start(self) -> None:
        """Sample every 2 s until stop(): processes and backends that end meanwhile (a
        recycled database connection) still count up to their last sample."""
        self.base = self.sample()
        self.latest = dict(self.base)
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    def _watch(self) -> None:
        from django.db import connection

        while not self.stopping.wait(2):
            self.latest.update(self.sample())
        connection.close()

    def stop(self) -> dict[str, float]:
        self.stopping.set()
        self.thread.join()
        self.latest.update(self.sample())
        return self.spent(self.base, self.latest)

    @staticmethod
    def spent(before: dict, after: dict) -> dict[str, float]:
        """CPU per side between two samples (a process that started meanwhile counts from 0;
        one that ended meanwhile is lost, hence: sample before the servers stop)."""
        totals = Counter()
        for pid, (side, seconds) in after.items():
            totals[side] += seconds - before.get(pid, (side, 0.0))[1]
        return dict(totals)


def print_cpu(label: str, spent: dict, count: int, unit: str) -> None:
    web, worker, pg = (spent.get(side, 0.0) for side in ("web", "worker", "postgres"))
    app = web + worker
    per = ""
    if count:
        per = f" · {(app + pg) / count * 1000:.2f} ms per {unit}"
        per += f" (web {web / count * 1000:.2f} + worker {worker / count * 1000:.2f}"
        per += f" + postgres {pg / count * 1000:.2f})"
    print(f"CPU {label}: web {web:.1f} s + worker {worker:.1f} s + postgres {pg:.1f} s{per}")


def wait_for_worker(limit: float = 180) -> None:
    """Until the Celery worker answers a ping: its start-up (imports, model checks: seconds of
    CPU on a loaded box) must not count as the intake's CPU."""
    from erp.celery import app

    began = time.monotonic()
    while time.monotonic() - began < limit:
        if app.control.ping(timeout=1):
            print(f"worker ready after {time.monotonic() - began:.1f} s")
            return
    raise RuntimeError("the Celery worker did not answer within 3 minutes")


def verdict(ok: bool, text: str) -> None:
    print(f"  [{'PASS' if ok else 'FAIL'}] {text}")


def post_json(conn: http.client.HTTPConnection, path: str, body: dict, secret: str) -> tuple[int, float]:
    data = json.dumps(body).encode()
    started = time.perf_counter()
    conn.request(
        "POST", path, body=data, headers={"Content-Type": "application/json", "Authorization": f"Bearer {secret}"}
    )
    response = conn.getresponse()
    response.read()
    return response.status, time.perf_counter() - started


def paced(
    port: int, path: str, bodies: list[dict], secret: str, rate: float, clients: int, deadline: float | None = None
) -> tuple[list, Counter]:
    """Send ``bodies`` at ``rate`` per second over ``clients`` keep-alive connections.

    Past ``deadline`` (perf_counter) nothing more is sent: a throughput-bound run stops on
    time (the house limit is 60 s per bench run) and reports what it did not send as
    "not sent", status -1 — never counted as lost.
    """
    latencies, statuses, lock = [], Counter(), threading.Lock()
    start = time.perf_counter() + 0.5

    def client(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for n in range(index, len(bodies), clients):
            delay = start + n / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            if deadline is not None and time.perf_counter() > deadline:
                with lock:
                    statuses[-1] += 1
                continue
            try:
                status, took = post_json(conn, path, bodies[n], secret)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                status, took = 0, float("nan")
            with lock:
                statuses[status] += 1
                latencies.append(took)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, statuses


def reset_tables() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            # MessageRef too: group ids restart, and a previous run's refs would point the new
            # groups' updates at messages this run's Slack stand-in never saw.
            "TRUNCATE alerts_item, alerts_alertgroup, alerts_source, alerts_ticketmail,"
            " integrations_slackmessage, integrations_messageref RESTART IDENTITY CASCADE"
        )


def webhook_source(name: str, channel: str):
    from alerts.models import Shape, Source, SourceKind, WebhookAuth

    return Source.objects.create(
        name=name,
        kind=SourceKind.WEBHOOK,
        shape=Shape.GENERIC if name.startswith("intake") else Shape.ALERTMANAGER,
        auth=WebhookAuth.BEARER,
        secret="bench-secret",
        slack_channel=channel,
        page_on_call_after_hours=False,
    )


def intake_bodies(first: int, count: int) -> list[dict]:
    return [
        {"id": f"a{n}", "key": f"intake-{n % 50}", "title": f"디스크 사용률 경고 {n % 50}", "severity": "warning"}
        for n in range(first, first + count)
    ]


def intake(port: int, rate: float, seconds: int, meter: CpuMeter, warmup: int) -> None:
    from alerts.models import Item

    source = webhook_source("intake", INTAKE_CHANNEL)
    path = f"/api/alerts/hooks/{source.token}/"
    warm = int(rate * warmup)
    if warm:
        # Every gunicorn thread opens its database connection and runs its first requests here:
        # a server that has just started, reported apart from the steady figures below.
        ms = [v * 1000 for v in paced(port, path, intake_bodies(0, warm), "bench-secret", rate, clients=20)[0]]
        print(f"\n== warm-up: {warm} requests at {rate:.0f}/s, not in the figures below ==")
        print(f"p50 {percentile(ms, 50):.1f} ms · p99 {percentile(ms, 99):.1f} ms · max {max(ms):.1f} ms")
    total = int(rate * seconds)
    bodies = intake_bodies(warm, total)
    began = time.perf_counter()
    deadline = began + seconds + 5
    meter.start()
    latencies, statuses = paced(port, path, bodies, "bench-secret", rate, clients=20, deadline=deadline)
    spent = meter.stop()
    elapsed = time.perf_counter() - began
    stored = Item.objects.filter(source=source).count() - warm
    ms = [v * 1000 for v in latencies if v == v]
    sent = total - statuses.get(-1, 0)
    print(f"\n== webhook intake: {total} requests at {rate:.0f}/s ({elapsed:.1f} s) ==")
    print(f"p50 {percentile(ms, 50):.1f} ms · p95 {percentile(ms, 95):.1f} ms · p99 {percentile(ms, 99):.1f} ms")
    print(f"max {max(ms):.1f} ms · answers {dict(statuses)} · sent {sent} · stored {stored} · lost {sent - stored}")
    print_cpu("during the intake (web workers, Celery worker, their backends)", spent, sent, "request")
    from integrations.slack.core.models import SlackMessage

    print(f"outbox rows after the intake: {SlackMessage.objects.count()}")
    verdict(percentile(ms, 99) <= 100, f"p99 ≤ 100 ms (p99 {percentile(ms, 99):.1f} ms)")
    verdict(sent == stored, f"0 lost ({sent} sent, {stored} stored)")
    verdict(
        sent == total,
        f"100 % of the paced requests sent on time ({sent} of {total}; the rest: the box kept up no more)",
    )


def alertmanager_body(group: int, n: int, alerts: int) -> dict:
    return {
        "version": "4",
        "groupKey": f'{{}}:{{alertname="Storm{group}"}}',
        "status": "firing",
        "receiver": "haru",
        "groupLabels": {"alertname": f"Storm{group}"},
        "commonLabels": {"severity": "warning"},
        "alerts": [
            {
                "status": "firing",
                "labels": {"alertname": f"Storm{group}", "instance": f"web{k}"},
                "annotations": {"summary": f"폭주 알림 그룹 {group}"},
                "startsAt": f"2026-12-02T01:{n % 60:02d}:{k:02d}Z",
                "endsAt": "0001-01-01T00:00:00Z",
                "fingerprint": f"{group:04d}{n:06d}{k:02d}",
            }
            for k in range(alerts)
        ],
    }


def sweeper(stop: threading.Event, every: float = 5.0) -> None:
    """What beat does in production: rows whose publish missed the broker (the 0.2 s publish
    deadline on a loaded machine) are sent to the worker again by the outbox sweep."""
    from django.db import connection

    from integrations.slack.core.tasks import sweep_outbox

    while not stop.wait(every):
        try:
            sweep_outbox()
        except Exception as exc:  # a bench helper: report and go on
            print(f"sweep failed: {exc}")
    connection.close()


def storm(port: int, fake, total: int, seconds: int, drain_seconds: int, give_up: int, meter: CpuMeter) -> None:
    """The storm, run to completion: every delivery is sent (paced over ``seconds``; a box
    that cannot keep up sends late rather than not at all, unless ``give_up`` seconds pass),
    then the outbox is drained until nothing is pending (or ``drain_seconds`` pass)."""
    from alerts.models import AlertGroup, Item
    from integrations.slack.core.models import DeliveryStatus, SlackMessage

    sources = [webhook_source(f"storm-{i}", channel) for i, channel in enumerate(CHANNELS)]
    per_delivery, groups = 5, 20
    deliveries = total // per_delivery
    bodies, paths = [], []
    for n in range(deliveries):
        group = n % groups
        bodies.append(alertmanager_body(group, n, per_delivery))
        paths.append(f"/api/alerts/hooks/{sources[group % len(sources)].token}/")
    fake.reset()
    fake.enforce_rate_limit(1.0, burst=1)
    sweeping = threading.Event()
    threading.Thread(target=sweeper, args=(sweeping,), daemon=True).start()
    meter.start()
    began = time.perf_counter()
    # One path per source: the paced sender posts to each source's URL in turn.
    by_source = defaultdict(list)
    for path, body in zip(paths, bodies, strict=True):
        by_source[path].append(body)
    results = []
    deadline = began + give_up if give_up else None

    def send(path, bodies):
        results.append(paced(port, path, bodies, "bench-secret", len(bodies) / seconds, clients=4, deadline=deadline))

    threads = [threading.Thread(target=send, args=(p, b)) for p, b in by_source.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sent_in = time.perf_counter() - began
    statuses = sum((r[1] for r in results), Counter())
    latencies = [v * 1000 for r in results for v in r[0] if v == v]
    stored = Item.objects.filter(source__in=sources).count()
    not_sent = statuses.get(-1, 0) * per_delivery
    drain_deadline = time.monotonic() + drain_seconds
    pending = [DeliveryStatus.PENDING, DeliveryStatus.SENDING]
    storm_rows = SlackMessage.objects.filter(target__in=CHANNELS)
    while storm_rows.filter(status__in=pending).exists() and time.monotonic() < drain_deadline:
        time.sleep(1)
    drained = time.perf_counter() - began
    sweeping.set()
    spent = meter.stop()
    calls = [c for c in fake.calls if c.method.startswith("chat.") and c.args.get("channel") in CHANNELS]
    per_second = Counter((c.args.get("channel"), int(c.at)) for c in calls if c.fault is None)
    limited = sum(1 for c in fake.calls if c.fault and c.args.get("channel") in CHANNELS)
    posts = sum(1 for c in calls if c.method == "chat.postMessage" and c.fault is None)
    updates = sum(1 for c in calls if c.method == "chat.update" and c.fault is None)
    group_count = AlertGroup.objects.filter(source__in=sources).count()
    counted = sum(AlertGroup.objects.filter(source__in=sources).values_list("count", flat=True))
    print(f"\n== storm: {total} alerts in {deliveries} deliveries over {sent_in:.1f} s, {groups} groups, 4 channels ==")
    print(f"answers {dict(statuses)} · stored {stored} · not sent {not_sent} · lost {total - not_sent - stored}")
    print(f"delivery latency p50 {percentile(latencies, 50):.0f} ms · p99 {percentile(latencies, 99):.0f} ms")
    print(f"alerts counted into groups {counted}")
    print(f"groups {group_count} · Slack posts {posts} · updates {updates}")
    busiest = max(per_second.values(), default=0)
    print(f"max Slack calls in one second on one channel: {busiest} · 429s {limited}")
    by_status = Counter(storm_rows.values_list("status", flat=True))
    print(f"outbox rows by status: {dict(by_status)}")
    skipped = by_status.get(DeliveryStatus.SKIPPED, 0)
    left = storm_rows.filter(status__in=pending).count()
    print(f"superseded (never sent) updates {skipped} · after {drained:.1f} s: {left} rows still pending")
    print_cpu(
        "storm + drain (web workers, Celery worker, their backends)",
        spent,
        deliveries - statuses.get(-1, 0),
        "delivery",
    )
    print("verdicts:")
    verdict(
        not_sent == 0 and stored == total and counted == total,
        f"every alert stored ({stored} of {total}, {counted} counted)",
    )
    verdict(busiest <= 1, f"≤ 1 Slack call/s per channel (max {busiest}; {limited} refused with 429)")
    verdict(
        posts <= group_count, f"Slack messages ≤ groups + updates ({posts} + {updates} ≤ {group_count} + {updates})"
    )
    if left:
        print(f"  (not drained: {left} notifications still pending after {drain_seconds} s; raise --drain-seconds)")


def feeds(count: int) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from alerts.models import Source, SourceKind
    from integrations.feeds.poll import poll_cycle
    from tests.alerts.feeds import NGINX_NEW_ITEM, nginx_rss
    from tests.fakes.feeds import FeedServer

    with FeedServer() as server:
        for n in range(count):
            server.route(f"/f{n}.rss", body=nginx_rss(), etag=f'"v1-{n}"')
        Source.objects.bulk_create(
            [Source(name=f"feed-{n}", kind=SourceKind.FEED, url=server.url(f"/f{n}.rss")) for n in range(count)]
        )
        first = time.perf_counter()
        poll_cycle()
        first = time.perf_counter() - first
        for n in range(0, count, 10):  # one in ten has a new entry
            server.route(f"/f{n}.rss", body=nginx_rss(NGINX_NEW_ITEM), etag=f'"v2-{n}"')
        Source.objects.filter(kind=SourceKind.FEED).update(next_fetch_at=timezone.now() - timedelta(seconds=1))
        began = time.perf_counter()
        counts = poll_cycle()
        second = time.perf_counter() - began
    print(f"\n== feeds: {count} subscriptions ==")
    print(f"first cycle (all 200, full bodies) {first:.2f} s · second cycle {second:.2f} s: {counts}")


def start_server(port: int, workers: int, env: dict, log: Path) -> subprocess.Popen:
    """gunicorn on 127.0.0.1:port with ``env``; waits up to 3 minutes (a loaded machine imports slowly)."""
    # The production configuration (deploy/gunicorn.conf.py: gthread workers, keep-alive), as
    # deploy/haru-web.service runs it; only the address and the number of workers are the bench's.
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "-c", str(ROOT / "deploy/gunicorn.conf.py"), "erp.wsgi:application"]
        + ["--log-level", "warning"],
        cwd=ROOT,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": str(workers)},
        # gunicorn.conf.py logs every request to stdout: into a file, not over the figures.
        stdout=open(log, "ab"),
    )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited during start-up")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            return process
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise RuntimeError("gunicorn did not start")


def _setup_django() -> None:
    import django
    from django.core.management import call_command

    common.VAR_DIR.mkdir(parents=True, exist_ok=True)
    django.setup()
    call_command("migrate", verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=100)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=5, help="seconds of intake at the rate before measuring")
    parser.add_argument("--storm", type=int, default=10_000)
    parser.add_argument("--storm-seconds", type=int, default=60, help="the storm's length (the issue: one minute)")
    parser.add_argument("--drain-seconds", type=int, default=300, help="longest wait for Slack after the storm")
    parser.add_argument(
        "--storm-give-up", type=int, default=0, help="stop sending the storm after this many seconds (0: send it all)"
    )
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    # The house rule is 60 s per benchmark run: run the parts one at a time.
    parser.add_argument("--parts", default="intake,storm,feeds", help="comma-separated: intake, storm, feeds")
    options = parser.parse_args()
    if not shutil.which("redis-server"):
        sys.exit("redis-server is not installed")
    from tests.fakes.slack_api import FakeSlackAPI

    workdir = tempfile.mkdtemp(prefix="alerts-bench-")
    redis = RedisServer(free_port(), workdir)
    redis.start()
    fake = FakeSlackAPI(token=TOKEN, quiet=True).start()
    extra = {"REDIS_URL": redis.url, "SLACK_API_BASE_URL": fake.base_url, "SLACK_BOT_TOKEN": TOKEN}
    # As in production: DEBUG off (the notify receivers are held strongly since the core's fix).
    extra["DJANGO_DEBUG"] = os.environ.get("BENCH_DJANGO_DEBUG", "false")
    common.ensure_database()
    env = {**common.server_env(), **extra}
    # This process (the outbox sweep stands in for beat) must publish to the bench's Redis
    # too: common.setup_django() would blank REDIS_URL, and the sweep's tasks would go to a
    # filesystem broker no worker reads (the storm's 429-delayed rows then never drained).
    os.environ.update(env)
    _setup_django()
    reset_tables()
    port = free_port()
    processes = []
    try:
        processes.append(start_server(port, options.workers, env, Path(workdir) / "gunicorn.log"))
        log = open(Path(workdir) / "worker.log", "ab")
        processes.append(
            subprocess.Popen(
                # nice -n 10 as the Procfile and deploy/systemd run it: deliveries yield to requests.
                ["nice", "-n", "10", sys.executable, "-m", "celery", "-A", "erp", "worker", "-Q", "slack,default"]
                + ["--pool", "prefork"]
                + ["--concurrency", "2"]
                + ["--loglevel", os.environ.get("BENCH_WORKER_LOGLEVEL", "WARNING")]
                + ["--without-gossip", "--without-mingle", "--without-heartbeat"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
        wait_for_worker()
        meter = CpuMeter(processes)
        load = os.getloadavg()
        print(f"load average at start {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} ({os.cpu_count()} CPUs)")
        parts = set(options.parts.split(","))
        if "intake" in parts:
            intake(port, options.rate, options.seconds, meter, options.warmup)
            print(f"load average {os.getloadavg()[0]:.1f}")
        if "storm" in parts:
            storm(port, fake, options.storm, options.storm_seconds, options.drain_seconds, options.storm_give_up, meter)
            print(f"load average {os.getloadavg()[0]:.1f}")
        if "feeds" in parts:
            feeds(options.feeds)
        print(f"load average at end {os.getloadavg()[0]:.1f}")
        if os.environ.get("BENCH_SHOW_WORKER_LOG"):
            print((Path(workdir) / "worker.log").read_text()[-int(os.environ["BENCH_SHOW_WORKER_LOG"]) :])
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        fake.stop()
        redis.kill()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
