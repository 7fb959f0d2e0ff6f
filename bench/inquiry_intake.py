"""Benchmark: the public inquiry intake under gunicorn, with and without Redis and Slack.

What it does (prints its figures; nothing is asserted):

- a dedicated PostgreSQL database (BENCH_DATABASE_URL, default haru_bench_inq, created UTF-8
  when missing and migrated), a throwaway ``redis-server`` (broker and cache) on a spare
  port, the FakeSlackAPI in a thread of this process, gunicorn (deploy/gunicorn.conf.py, 4 workers) and a real
  ``celery worker`` on that Redis; this process plays beat (the outbox sweeper, every 5 s);
- run A: 50 requests/s for 60 s (open loop: each request starts at its scheduled moment,
  from 32 client threads), JSON posts from distinct visitors (X-Forwarded-For, e-mail) to
  ``POST /api/inquiries/submit/<site>/``; reports latency p50/p95/p99/max, errors, stored
  inquiries, and the Slack card delay (card delivered − inquiry received) with the worker;
- run B: the same load with Redis stopped (broker and cache down) and Slack unreachable
  (the fake is stopped); then both come back, the sweeper runs, and it reports how long
  until every card of run B was delivered;
- card delay, before A: a "steady" run at a rate one channel allows (default 0.8/s for 30 s)
  and a "burst" run (default 50/s for 5 s into one channel, where burst coalescing posts one
  summary card and updates it), after one warm-up inquiry whose card shows the worker is up.
  The delay is from the inquiry's receipt to its first appearance in the channel (its own
  card or a summary naming it), read from the times the Slack stand-in recorded; the own
  card's delay is printed beside it. Each run posts into its own channel (a routing rule on
  the product), so one run's backlog never delays the next. The stand-in enforces Slack's
  ~1 post/s per channel on chat.postMessage and the 429s are counted.

Run::

    .venv/bin/python bench/inquiry_intake.py [--rate 50] [--seconds 60] [--card-wait 120] [--recovery-wait 600]
        [--runs steady,burst,a,b] [--warmup 5] [--steady-rate 0.8] [--steady-seconds 30] [--burst-rate 50]
        [--burst-seconds 5]
"""

import argparse
import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from slack_common import RedisServer, free_port, percentile, wait_for_port  # noqa: E402

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/haru_bench_inq")
SITE = "bench-site"
CHANNEL = "CBENCHINQ"
RUNS = ("warm", "steady", "burst", "a", "b")
TOKEN = "xoxb-bench-token"
VAR_DIR = Path(tempfile.gettempdir()) / "haru-bench-inq"


def ensure_database() -> None:
    import psycopg

    admin_url, name = DATABASE_URL.rsplit("/", 1)[0] + "/postgres", DATABASE_URL.rsplit("/", 1)[1]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(
                f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
            )


def environment(redis_url: str, slack_url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": redis_url,
        "DJANGO_SETTINGS_MODULE": "erp.settings.base",
        "DJANGO_DEBUG": "false",
        "HARU_VAR_DIR": str(VAR_DIR),
        "LOG_LEVEL": "ERROR",
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_API_BASE_URL": slack_url,
        "SLACK_CLIENT_TIMEOUT": "2",
        "SLACK_RETRY_BASE_SECONDS": "1",
        "SLACK_RETRY_MAX_SECONDS": "10",
        "SLACK_SWEEP_GRACE_SECONDS": "3",
        "SLACK_SWEEP_REPUBLISH_SECONDS": "20",
        "INQUIRIES_SALES_CHANNEL": CHANNEL,
        "INQUIRIES_CLIENT_IP_HEADER": "X-Forwarded-For",
        "PYTHONWARNINGS": "ignore::UserWarning",
    }


def setup_django(env: dict) -> None:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE inquiries_inquiry RESTART IDENTITY CASCADE")
    from integrations.slack.core.models import SlackMessage

    SlackMessage.objects.all().delete()
    from inquiries.models import Site

    Site.objects.get_or_create(key=SITE, defaults={"name": "벤치 사이트"})
    from inquiries.models import RoutingRule

    RoutingRule.objects.all().delete()
    for order, run in enumerate(RUNS):
        RoutingRule.objects.create(
            name=f"bench {run}", order=order, product_contains=f"bench-{run}", channel=channel(run)
        )


def channel(run: str) -> str:
    """Each run's own channel: a backlog left by one run never delays the next one's cards."""
    return f"CBENCH{run.upper()}"


def start(args: list[str], env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(args, cwd=ROOT, env=env, stdout=open(log, "ab"), stderr=subprocess.STDOUT)


def gunicorn(port: int, env: dict) -> subprocess.Popen:
    # The production configuration (deploy/gunicorn.conf.py: gthread workers), as
    # deploy/haru-web.service runs it; only the address and the number of workers are the bench's.
    cmd = [str(ROOT / ".venv/bin/gunicorn"), "-c", str(ROOT / "deploy/gunicorn.conf.py"), "erp.wsgi:application",
           "--log-level", "warning"]  # fmt: skip
    env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "4"}
    process = start(cmd, env, VAR_DIR / "gunicorn.log")
    wait_for_port(port, timeout=60)
    # The port opens before the workers have loaded Django: wait for real answers.
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status < 500:
                break
        except OSError:
            time.sleep(0.5)
    return process


def worker(env: dict) -> subprocess.Popen:
    """One worker on every queue (HARU_QUEUES): without -Q it consumes only "default", and the
    Slack deliveries (queue "slack") would wait forever — no card was ever delivered."""
    from django.conf import settings

    queues = ",".join(settings.HARU_QUEUES)
    # nice -n 10 as the Procfile and deploy/systemd run it: deliveries yield to requests.
    cmd = ["nice", "-n", "10", sys.executable, "-m", "celery", "-A", "erp", "worker", "-Q", queues, "--pool", "prefork",
           "--concurrency", "2", "--loglevel", "WARNING", "--without-gossip", "--without-mingle",
           "--without-heartbeat"]  # fmt: skip
    return start(cmd, env, VAR_DIR / "worker.log")


def body(run: str, index: int) -> bytes:
    return json.dumps(
        {
            "name": "김하늘",
            "company": "(주)한빛소프트",
            "email": f"bench-{run}-{index}@example.co.kr",
            "phone": "010-2345-6789",
            "subject": "챗봇 도입 견적 요청",
            "message": "사내 헬프데스크에 챗봇을 도입하려고 합니다. 사용자 300명 기준 견적을 부탁드립니다.",
            "category": "quote",
            "product": f"bench-{run}",
            "consent": True,
            "utm_source": "naver",
            "started_at": int(time.time() * 1000) - 20_000,
        },
        ensure_ascii=False,
    ).encode()


def load(port: int, run: str, rate: float, seconds: float) -> dict:
    """Open-loop load: request i starts at t0 + i / rate; returns latencies and outcomes."""
    total = round(rate * seconds)
    latencies, statuses, late = [], [], []
    lock = threading.Lock()
    t0 = time.monotonic() + 0.5

    def one(index: int) -> None:
        due = t0 + index / rate
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        started = time.monotonic()
        status = 0
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            headers = {
                "Content-Type": "application/json",
                "X-Forwarded-For": f"198.51.{index // 250 % 250}.{index % 250}",
            }
            conn.request("POST", f"/api/inquiries/submit/{SITE}/", body(run, index), headers)
            response = conn.getresponse()
            response.read()
            status = response.status
            conn.close()
        except OSError:
            status = -1
        with lock:
            latencies.append((time.monotonic() - started) * 1000)
            statuses.append(status)
            late.append((started - due) * 1000)

    with ThreadPoolExecutor(max_workers=32) as pool:
        list(pool.map(one, range(total)))
    return {"latencies": latencies, "statuses": statuses, "late": late, "total": total}


def report(name: str, result: dict) -> None:
    lat, statuses = result["latencies"], result["statuses"]
    ok = sum(1 for s in statuses if s == 201)
    errors = len(statuses) - ok
    print(
        f"{name}: {result['total']} requests, {ok} × 201, {errors} errors"
        f" ({sorted(set(s for s in statuses if s != 201))}); latency p50 {percentile(lat, 50):.1f} ms,"
        f" p95 {percentile(lat, 95):.1f} ms, p99 {percentile(lat, 99):.1f} ms, max {max(lat):.1f} ms;"
        f" start lag p99 {percentile(result['late'], 99):.1f} ms"
    )


def stored(run: str) -> int:
    from inquiries.models import Inquiry

    return Inquiry.objects.filter(email__startswith=f"bench-{run}-").count()


def card_delays(run: str) -> tuple[list[float], int]:
    """Seconds from each inquiry's receipt to its card's delivery; and how many are not delivered."""
    from django.contrib.contenttypes.models import ContentType

    from inquiries.models import Inquiry
    from integrations.slack.core.models import SlackMessage

    received = dict(Inquiry.objects.filter(email__startswith=f"bench-{run}-").values_list("pk", "received_at"))
    content_type = ContentType.objects.get_for_model(Inquiry)
    sent = dict(
        SlackMessage.objects.filter(
            content_type=content_type, kind="inquiries.received", operation="post", sent_at__isnull=False
        ).values_list("object_id", "sent_at")
    )
    delays = [(sent[str(pk)] - moment).total_seconds() for pk, moment in received.items() if str(pk) in sent]
    return delays, len(received) - len(delays)


_NUMBER = re.compile(r"INQ-(\d+)\b")


def first_appearances(fake, run: str) -> tuple[list[float], list[float], int]:
    """Per inquiry of ``run``: seconds from receipt to its first appearance in its channel (own
    card or a summary naming it) and to its own card, as the stand-in recorded them; and how
    many never appeared."""
    from inquiries.models import Inquiry

    received = {
        pk: moment.timestamp()
        for pk, moment in Inquiry.objects.filter(email__startswith=f"bench-{run}-").values_list("pk", "received_at")
    }
    first, own = {}, {}
    for call in fake.calls:
        if call.fault or call.method not in ("chat.postMessage", "chat.update"):
            continue
        if call.args.get("channel") != channel(run):
            continue
        text = call.args.get("text", "")
        blocks = call.args.get("blocks") or []
        content = text + (blocks if isinstance(blocks, str) else json.dumps(blocks, ensure_ascii=False))
        for number in {int(n) for n in _NUMBER.findall(content)}:
            first.setdefault(number, call.at)
        card = _NUMBER.search(text) if call.method == "chat.postMessage" else None
        if card is not None:
            own.setdefault(int(card.group(1)), call.at)
    appeared = [first[pk] - at for pk, at in received.items() if pk in first]
    cards = [own[pk] - at for pk, at in received.items() if pk in own]
    return appeared, cards, len(received) - len(appeared)


def wait_for_appearances(fake, run: str, timeout: float) -> None:
    started = time.monotonic()
    while time.monotonic() - started < timeout and first_appearances(fake, run)[2]:
        time.sleep(1)


def report_delays(name: str, fake, run: str) -> None:
    appeared, cards, missing = first_appearances(fake, run)
    limited = sum(1 for call in fake.calls if call.fault and call.args.get("channel") == channel(run))
    nan = float("nan")
    print(
        f"{name}: first appearance p50 {percentile(appeared, 50):.2f} s, p95 {percentile(appeared, 95):.2f} s,"
        f" max {max(appeared or [nan]):.2f} s (not appeared {missing});"
        f" own card p50 {percentile(cards, 50):.2f} s, p95 {percentile(cards, 95):.2f} s,"
        f" {len(cards)} cards so far; 429 answers {limited}"
    )


def wait_for_cards(run: str, timeout: float, sweep: bool = False) -> float:
    from integrations.slack.core import outbox

    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if sweep:
            outbox.sweep()
        if card_delays(run)[1] == 0:
            return time.monotonic() - started
        time.sleep(1)
    return float("nan")


def _proc_cpu(pid: int) -> float:
    """utime + stime of one process, in seconds (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def server_cpu(*processes: subprocess.Popen) -> float:
    """CPU seconds used so far by gunicorn and the worker (with their children) and by this
    database's PostgreSQL backends: the work, beside the wall time a loaded box stretches."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        backends = [row[0] for row in cursor.fetchall()]
    pids = {pid for process in processes for pid in _tree(process.pid)} | set(backends)
    return sum(_proc_cpu(pid) for pid in pids)


class Sweeper(threading.Thread):
    """Beat's outbox sweep, every few seconds for the whole bench: rows whose publish failed
    (a busy broker missing the 0.2 s publish deadline) are sent again, as in production."""

    def __init__(self, every: float = 5):
        super().__init__(name="bench-sweeper", daemon=True)
        self.every, self.stopped = every, threading.Event()

    def run(self) -> None:
        from django.db import connection

        from integrations.slack.core import outbox

        while not self.stopped.wait(self.every):
            try:
                outbox.sweep()
            except Exception as exc:  # Redis or the database busy: the next round tries again
                print(f"(sweep failed: {type(exc).__name__})", file=sys.stderr)
        connection.close()


def stand_in(port: int):
    from tests.fakes.slack_api import FakeSlackAPI

    fake = FakeSlackAPI(token=TOKEN, port=port, quiet=True).start()
    # Slack's special limit on chat.postMessage, about one per second per channel (short bursts
    # aside); chat.update is not under it.
    fake.enforce_rate_limit(1.0, burst=2, methods=["chat.postMessage"])
    return fake


def warm_up(port: int, fake, timeout: float = 180) -> float:
    """One inquiry, and wait for its card: the worker is up before any delay is measured."""
    started = time.monotonic()
    load(port, "warm", 1, 1)
    wait_for_appearances(fake, "warm", timeout)
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=5, help="seconds at --rate before run A, reported apart")
    # How long to wait for cards after each run; short waits keep a whole bench within a
    # shared machine's 60 s budget (undelivered cards are then reported, not hidden).
    parser.add_argument("--card-wait", type=int, default=120, help="seconds to wait for run A's cards")
    parser.add_argument("--recovery-wait", type=int, default=600, help="seconds to wait for run B's cards")
    parser.add_argument("--runs", default="steady,burst,a,b", help="which runs, comma-separated")
    parser.add_argument("--steady-rate", type=float, default=0.8, help="inquiries/s of the steady card-delay run")
    parser.add_argument("--steady-seconds", type=float, default=30)
    parser.add_argument("--burst-rate", type=float, default=50, help="inquiries/s of the burst card-delay run")
    parser.add_argument("--burst-seconds", type=float, default=5)
    options = parser.parse_args()
    runs = set(options.runs.split(","))

    ensure_database()
    redis = RedisServer(free_port(), tempfile.mkdtemp(prefix="haru-bench-inq-redis-"))
    redis.start()
    slack_port = free_port()
    fake = stand_in(slack_port)
    env = environment(redis.url, fake.base_url)
    setup_django(env)
    port = free_port()
    web, celery = gunicorn(port, env), worker(env)
    sweeper = Sweeper()
    sweeper.start()
    try:
        print(f"load average {os.getloadavg()[0]:.1f} at start; warm-up card after {warm_up(port, fake):.1f} s")
        for run, rate, seconds in (
            ("steady", options.steady_rate, options.steady_seconds),
            ("burst", options.burst_rate, options.burst_seconds),
        ):
            if run not in runs:
                continue
            cpu = server_cpu(web, celery)
            result = load(port, run, rate, seconds)
            report(f"{run} ({rate:g} inquiries/s for {seconds:g} s into one channel)", result)
            wait_for_appearances(fake, run, options.card_wait)
            report_delays(f"{run}", fake, run)
            print(
                f"{run}: load average {os.getloadavg()[0]:.1f}; CPU of gunicorn + worker + PostgreSQL backends"
                f" {server_cpu(web, celery) - cpu:.1f} s (backends that already closed are not counted)"
            )

        if "a" in runs:
            if options.warmup:
                # Every gunicorn thread opens its database and Redis connections here: a server
                # that has just started, reported apart (its own channel, so A's cards are A's).
                report("warm-up, not in A's figures", load(port, "warm", options.rate, options.warmup))
            print(f"load average {os.getloadavg()[0]:.1f}; {options.rate} req/s for {options.seconds} s per run")
            result = load(port, "a", options.rate, options.seconds)
            report("A (Redis and Slack up, worker running)", result)
            wait_for_cards("a", options.card_wait, sweep=True)
            delays, missing = card_delays("a")
            print(
                f"A: stored {stored('a')}; own card delay p50 {percentile(delays, 50):.2f} s,"
                f" p95 {percentile(delays, 95):.2f} s, max {max(delays or [float('nan')]):.2f} s;"
                f" cards not delivered {missing}"
            )
            report_delays("A", fake, "a")

        if "b" in runs:
            redis.kill()
            fake.stop()
            result = load(port, "b", options.rate, options.seconds)
            report("B (Redis stopped, Slack unreachable)", result)
            print(f"B: stored {stored('b')} while down; cards delivered so far: {len(card_delays('b')[0])}")
            redis.start()
            fake = stand_in(slack_port)
            took = wait_for_cards("b", options.recovery_wait, sweep=True)
            delays, missing = card_delays("b")
            print(f"B: after recovery every card delivered in {took:.1f} s (not delivered: {missing})")
            report_delays("B (from the restarted stand-in)", fake, "b")
    finally:
        sweeper.stopped.set()
        for process in (web, celery):
            process.terminate()
        for process in (web, celery):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        fake.stop()
        redis.kill()


if __name__ == "__main__":
    main()
