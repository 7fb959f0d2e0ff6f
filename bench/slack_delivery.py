"""Benchmark: Slack outbox delivery under faults, with a real Celery worker on Redis.

What it does (prints its figures; nothing is asserted):

- starts a throwaway ``redis-server`` on a spare port (so it can be restarted) and a
  FakeSlackAPI in a thread of this process, with injected faults: 10% HTTP 5xx, 10% 429
  with Retry-After 1-5 s, 5% slow answers past the client timeout, and Slack's limit of
  one message per second per channel enforced (burst 1);
- starts a real ``celery worker`` (prefork) on that Redis, pointed at the fake;
- produces 1,000 ticket events through the real ticket services over 20 group channels
  (800 new tickets, then 200 status changes, each an update of the original message plus
  a thread reply), i.e. the full path signal → receiver → outbox → on_commit → task;
- restarts Redis once mid-run (without persistence: every queued task is lost) and SIGKILLs
  one worker pool process mid-run; this process plays celery beat, running the outbox
  sweeper every few seconds;
- waits for the outbox to drain and reports lost messages, duplicate posts (and whether
  each followed an ambiguous timeout), per-channel rates and delays, and the drain time.

Run (PostgreSQL; the database is migrated and the bench's own rows are reset)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/haru_slack .venv/bin/python bench/slack_delivery.py

Options: --events, --channels, --concurrency, --seed, --timeout (see --help).
"""

import argparse
import os
import shutil
import signal
import statistics
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

from slack_common import RedisServer, delivery_accounting, free_port, percentile  # noqa: E402  (after the sys.path lines)

# Timing knobs handed to both this process and the worker.
CLIENT_TIMEOUT = 2  # seconds; the fake's slow answers take 5 s, so they time out
FAKE_SLOW_SECONDS = 5
BENCH_ENV = {
    "SLACK_CLIENT_TIMEOUT": str(CLIENT_TIMEOUT),
    "SLACK_RETRY_BASE_SECONDS": "1",
    "SLACK_RETRY_MAX_SECONDS": "30",
    "SLACK_SENDING_STALE_SECONDS": "15",
    "SLACK_SWEEP_GRACE_SECONDS": "5",
    "SLACK_SWEEP_REPUBLISH_SECONDS": "30",
    "SLACK_BOT_TOKEN": "xoxb-bench-token",
    "DJANGO_SETTINGS_MODULE": "erp.settings.base",
    "LOG_LEVEL": "WARNING",
    "DJANGO_DEBUG": "false",
}
SWEEP_EVERY = 3.0


def start_worker(env: dict, concurrency: int, log_path: Path) -> subprocess.Popen:
    log = open(log_path, "ab")
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "erp",
            "worker",
            "-Q",
            "slack,default",
            "--pool",
            "prefork",
            "--concurrency",
            str(concurrency),
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def pool_children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--channels", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=8, help="worker processes")
    parser.add_argument("--producers", type=int, default=4, help="threads producing ticket events")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--timeout", type=int, default=900, help="give up waiting for the drain after this")
    options = parser.parse_args()
    if not shutil.which("redis-server"):
        sys.exit("redis-server is not installed")
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/haru_slack")

    from tests.fakes.slack_api import FakeSlackAPI

    workdir = tempfile.mkdtemp(prefix="slack-bench-")
    redis = RedisServer(free_port(), workdir)
    redis.start()
    fake = FakeSlackAPI(token=BENCH_ENV["SLACK_BOT_TOKEN"], quiet=True).start()
    env = {
        **os.environ,
        **BENCH_ENV,
        "REDIS_URL": redis.url,
        "SLACK_API_BASE_URL": fake.base_url,
    }
    os.environ.update(env)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    workers = []
    try:
        run(options, fake, redis, env, Path(workdir), workers)
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
                try:
                    worker.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    worker.kill()
        fake.stop()
        redis.kill()
        shutil.rmtree(workdir, ignore_errors=True)


def setup_data(channels: int):
    from django.contrib.auth import get_user_model

    from erp.people.models import Department, Employee
    from integrations.slack.core.models import MessageRef, RoutingRule, SlackMessage
    from tickets.models import Ticket

    groups = []
    for index in range(1, channels + 1):
        group, _ = Department.objects.update_or_create(
            code=f"bench-{index:02d}",
            defaults={"name": f"벤치 그룹 {index:02d}", "slack_channel_id": f"CBENCH{index:03d}"},
        )
        groups.append(group)
    Ticket.objects.filter(group__in=groups).delete()
    SlackMessage.objects.all().delete()
    MessageRef.objects.all().delete()
    RoutingRule.objects.filter(name__startswith="bench").delete()
    user, _ = get_user_model().objects.get_or_create(username="bench-requester", defaults={"is_active": True})
    Employee.objects.get_or_create(user=user, defaults={"display_name": "벤치 요청자"})
    return groups, user


def run(options, fake, redis: RedisServer, env: dict, workdir: Path, workers: list) -> None:
    from django.db import close_old_connections

    from erp.audit.actor import Actor
    from integrations.slack.core import outbox
    from integrations.slack.core.models import DeliveryStatus, SlackMessage
    from tickets.models import Level, Status
    from tickets.services import ticket_change_status, ticket_create

    groups, requester = setup_data(options.channels)
    fake.set_fault_profile(
        rate_5xx=0.10,
        rate_429=0.10,
        rate_timeout=0.05,
        retry_after_range=(1, 5),
        timeout_seconds=FAKE_SLOW_SECONDS,
        seed=options.seed,
        methods=["chat.postMessage", "chat.update", "conversations.open"],
    )
    fake.enforce_rate_limit(1.0, burst=1)

    workers.append(start_worker(env, options.concurrency, workdir / "worker.log"))
    restarts = Counter()

    def supervise() -> None:
        """Play systemd/docker: a worker that exited is started again (see bench/README.md:
        kombu's Redis transport can crash the worker's main process when Redis drops)."""
        if workers[-1].poll() is not None:
            restarts["worker"] += 1
            print(f"  [{time.monotonic() - started:6.1f}s] worker exited ({workers[-1].returncode}); restarting")
            workers.append(start_worker(env, options.concurrency, workdir / "worker.log"))

    time.sleep(3)  # let the worker connect before the burst
    stop_sweeping = threading.Event()

    def sweeper():
        while not stop_sweeping.wait(SWEEP_EVERY):
            try:
                outbox.sweep()
            except Exception as exc:  # the DB is fine; the broker may be down
                print(f"  sweep failed: {exc}", flush=True)
            finally:
                close_old_connections()

    threading.Thread(target=sweeper, daemon=True).start()

    creations = int(options.events * 0.8)
    changes = options.events - creations
    incidents = {}
    started = time.monotonic()
    saves = []  # (started at, seconds) per ticket event, classified against the outage later
    tickets = {}
    done = Counter()
    lock = threading.Lock()
    by = Actor.system(reason="bench")

    def produce(indices, make):
        try:
            for index in indices:
                t0 = time.monotonic()
                make(index)
                with lock:
                    saves.append((t0, time.monotonic() - t0))
                    done["events"] += 1
        finally:
            close_old_connections()

    def create(index):
        group = groups[index % len(groups)]
        tickets[index] = ticket_create(
            title=f"벤치 장애 {index} 010-1234-5678",
            description="부하 테스트 설명 " * 20,
            requester=requester,
            group=group,
            impact=Level.LOW if index % 2 else Level.MEDIUM,
            urgency=Level.MEDIUM,
            by=by,
        )

    def change(index):
        ticket_change_status(ticket=tickets[index * 3 % creations], status=Status.IN_PROGRESS, by=by)

    def run_phase(count, make):
        threads = [
            threading.Thread(target=produce, args=(range(offset, count, options.producers), make))
            for offset in range(options.producers)
        ]
        for thread in threads:
            thread.start()
        while any(thread.is_alive() for thread in threads):
            disrupt(done["events"])
            supervise()
            time.sleep(0.02)

    def disrupt(events: int) -> None:
        now = time.monotonic()
        if "redis_down_at" not in incidents and events >= creations // 3:
            print(f"  [{now - started:6.1f}s] killing redis (no persistence: queued tasks are lost)", flush=True)
            redis.kill()
            incidents["redis_down_at"] = now
        if "redis_down_at" in incidents and "redis_back_at" not in incidents and now - incidents["redis_down_at"] > 5:
            redis.start()
            incidents["redis_back_at"] = time.monotonic()
            print(f"  [{incidents['redis_back_at'] - started:6.1f}s] redis restarted", flush=True)
        if "worker_killed" not in incidents and events >= creations + changes // 2:
            children = pool_children(workers[-1].pid)
            if children:
                os.kill(children[0], signal.SIGKILL)
                incidents["worker_killed"] = children[0]
                print(f"  [{now - started:6.1f}s] SIGKILL worker pool process {children[0]}", flush=True)

    print(f"producing {options.events} events over {options.channels} channels ...", flush=True)
    run_phase(creations, create)
    run_phase(changes, change)
    produced = time.monotonic()
    down, back = incidents.get("redis_down_at", 0), incidents.get("redis_back_at", 0)
    outage_save_times = [seconds for at, seconds in saves if down <= at < back]
    save_times = [seconds for at, seconds in saves if not down <= at < back]
    print(f"  produced in {produced - started:.1f}s; waiting for the drain ...", flush=True)

    open_statuses = [DeliveryStatus.PENDING, DeliveryStatus.SENDING]
    deadline = time.monotonic() + options.timeout
    while time.monotonic() < deadline:
        remaining = SlackMessage.objects.filter(status__in=open_statuses).count()
        if remaining == 0:
            break
        print(f"  [{time.monotonic() - started:6.1f}s] {remaining} outbox rows still open", flush=True)
        for _ in range(50):
            supervise()
            time.sleep(0.1)
    drained = time.monotonic()
    stop_sweeping.set()
    incidents.update({f"{name}_restarts": count for name, count in restarts.items()})
    report(options, fake, started, produced, drained, save_times, outage_save_times, incidents)


def report(options, fake, started, produced, drained, save_times, outage_save_times, incidents) -> None:
    from integrations.slack.core.models import DeliveryStatus, Operation, SlackMessage

    rows = list(SlackMessage.objects.all())
    by_status = Counter(row.status for row in rows)
    calls = fake.calls
    messages = fake.messages

    accounting = delivery_accounting(rows, messages)
    lost, duplicates = accounting["lost"], accounting["duplicates"]
    unexplained_duplicates = accounting["unexplained_duplicates"]

    # Updates: the final text of each record's message must be the newest rendering queued.
    newest_update = {}
    for row in sorted((r for r in rows if r.operation == Operation.UPDATE), key=lambda r: r.pk):
        newest_update[(row.message_key, row.target)] = row
    stale_updates = 0
    for row in newest_update.values():
        ref = row.channel_id and next((m for m in messages.get(row.channel_id, []) if m["ts"] == row.ts), None)
        if row.status != DeliveryStatus.SENT or ref is None or ref["text"] != row.text:
            stale_updates += 1

    # Per-channel rates from what the fake accepted (calls that were not faulted).
    accepted = defaultdict(list)
    attempted = defaultdict(list)
    for call in calls:
        channel = call.args.get("channel") if isinstance(call.args.get("channel"), str) else None
        if not channel or not channel.startswith("CBENCH"):
            continue
        attempted[channel].append(call.at)
        if call.fault is None:
            accepted[channel].append(call.at)
    max_window = 0
    sustained = []
    for stamps in accepted.values():
        stamps.sort()
        for i, start in enumerate(stamps):
            j = i
            while j < len(stamps) and stamps[j] - start < 10:
                j += 1
            max_window = max(max_window, j - i)
        if len(stamps) > 1:
            sustained.append((len(stamps) - 1) / (stamps[-1] - stamps[0]))
    faults = Counter(call.fault for call in calls if call.fault)

    delays = defaultdict(list)
    for row in rows:
        if row.status == DeliveryStatus.SENT and row.sent_at and row.target.startswith("CBENCH"):
            delays[row.target].append((row.sent_at - row.created_at).total_seconds())
    all_delays = [d for values in delays.values() for d in values]
    channel_p95 = sorted(percentile(v, 95) for v in delays.values())

    ms = 1000
    print()
    print("== Slack delivery benchmark ==")
    print(f"events: {options.events} over {options.channels} channels; outbox rows: {len(rows)} {dict(by_status)}")
    print(f"production: {produced - started:.1f}s; drain (first event → outbox empty): {drained - started:.1f}s")
    print(
        f"ticket save incl. enqueue: p50 {statistics.median(save_times) * ms:.1f} ms, "
        f"p99 {percentile(save_times, 99) * ms:.1f} ms; while Redis was down: "
        f"p50 {statistics.median(outage_save_times or [0]) * ms:.1f} ms, "
        f"max {max(outage_save_times or [0]) * ms:.1f} ms ({len(outage_save_times)} saves)"
    )
    print(f"Slack calls: {len(calls)}; faults injected: {dict(faults)}")
    print(f"lost posts/replies: {len(lost)}; failed rows: {by_status.get(DeliveryStatus.FAILED, 0)}")
    print(
        f"duplicate posts: {sum(duplicates.values())} (rows {sorted(duplicates)[:10]}), "
        f"not after an ambiguous timeout/kill: {len(unexplained_duplicates)}"
    )
    print(f"records whose message does not show the newest update: {stale_updates}")
    print(
        f"accepted calls per channel: sustained mean {statistics.mean(sustained or [0]):.2f}/s, "
        f"max {max(sustained or [0]):.2f}/s; most in any 10 s window: {max_window}"
    )
    print(
        f"delay created → sent: p50 {percentile(all_delays, 50):.1f}s, p95 {percentile(all_delays, 95):.1f}s, "
        f"max {max(all_delays or [0]):.1f}s; per-channel p95 from {channel_p95[0] if channel_p95 else 0:.1f}s "
        f"to {channel_p95[-1] if channel_p95 else 0:.1f}s"
    )
    print(f"disruptions: {incidents}")


if __name__ == "__main__":
    main()
