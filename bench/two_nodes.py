"""Benchmark: two web nodes, two workers and one beat on one PostgreSQL and broker, with kills.

What it does (prints its figures; nothing is asserted):

- its own PostgreSQL database (``haru_bench_two_nodes``; created, migrated, reset), people
  seeded as in bench/slack_inbound.py; a throwaway ``redis-server`` (broker + shared cache)
  or, with ``--broker amqp://…``, RabbitMQ; a FakeSlackAPI in this process (5% HTTP 5xx,
  2% answers slower than the client timeout: the ambiguous case);
- starts two ``gunicorn`` web nodes, two ``celery worker -Q slack,default`` and one
  ``celery beat`` (DatabaseScheduler: the outbox sweeper every few seconds);
- --clients threads submit the "create ticket" modal (signed, as Slack does) to the web
  nodes in turn; a node that refuses the connection is skipped, as a load balancer does;
- SIGKILLs one worker (main process and pool) at a third of the run and one web node
  (master and workers) at two thirds; nothing is restarted;
- waits for the outbox to drain and reports: tickets accepted vs created, outbox rows,
  lost and duplicated posts (and whether each duplicate followed an ambiguous attempt),
  request throughput and latency, delivery throughput.

Run::

    .venv/bin/python bench/two_nodes.py --duration 60
    .venv/bin/python bench/two_nodes.py --broker amqp://guest:guest@127.0.0.1:5672//
"""

import argparse
import http.client
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from slack_common import RedisServer, delivery_accounting, free_port, percentile, wait_for_port  # noqa: E402
from slack_inbound_setup import ensure_database, seed  # noqa: E402

from tests.fakes.slack_signing import (  # noqa: E402
    checkboxes,
    interactivity_form_body,
    signed_http_headers,
    static_select,
    view_submission_payload,
)

SECRET = "bench-signing-secret"
TOKEN = "xoxb-bench-token"
TIMING = {
    "SLACK_CLIENT_TIMEOUT": "2",
    "SLACK_RETRY_BASE_SECONDS": "1",
    "SLACK_RETRY_MAX_SECONDS": "20",
    "SLACK_SENDING_STALE_SECONDS": "15",
    "SLACK_SWEEP_INTERVAL_SECONDS": "3",
    "SLACK_SWEEP_GRACE_SECONDS": "5",
    "SLACK_SWEEP_REPUBLISH_SECONDS": "20",
    "SLACK_PACING": "false",
}


def spawn(args: list[str], env: dict, log: Path) -> subprocess.Popen:
    """In its own process group, so a kill takes the whole node (master and children)."""
    with open(log, "ab") as output:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )


def kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def create_body(data: dict, rng: random.Random, serial: int) -> bytes:
    values = {
        "title": {"value": f"두 노드 부하 #{serial}"},
        "description": {"value": "노드 장애 중에도 접수되어야 합니다."},
        "ticket_type": {"value": static_select("incident")},
        "impact": {"value": static_select("medium")},
        "urgency": {"value": static_select("low")},
        "group": {"value": static_select(str(data["infra_id"]))},
        "sensitive": {"value": checkboxes([])},
    }
    payload = view_submission_payload("tickets.create", values, "{}", rng.choice(data["requesters"]))
    return interactivity_form_body(payload)


def load(ports: list[int], data: dict, clients: int, duration: float, events: dict, clock=time.time) -> dict:
    """Closed-loop clients; each request goes to the next live node. Returns the tallies."""
    tallies = {"accepted": 0, "refused": Counter(), "latency": [], "failovers": 0, "serial": 0}
    lock = threading.Lock()
    stop_at = time.monotonic() + duration

    def client(index: int) -> None:
        rng = random.Random(index)
        turn = index
        while time.monotonic() < stop_at:
            with lock:
                tallies["serial"] += 1
                serial = tallies["serial"]
            body = create_body(data, rng, serial)
            started = time.perf_counter()
            for attempt in range(len(ports)):
                port = ports[(turn + attempt) % len(ports)]
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    headers = {
                        "Content-Type": "application/x-www-form-urlencoded",
                        **signed_http_headers(SECRET, body, int(clock())),
                    }
                    conn.request("POST", "/slack/interactivity", body=body, headers=headers)
                    response = conn.getresponse()
                    answer = response.read()
                    conn.close()
                except ConnectionRefusedError:  # the node is down: the request was never sent
                    with lock:
                        tallies["failovers"] += 1
                    continue
                except (OSError, http.client.HTTPException):  # sent, answer lost (the node died mid-answer):
                    # Slack would not resend a modal submission either.
                    with lock:
                        tallies["refused"]["answer lost"] += 1
                    break
                with lock:
                    tallies["latency"].append((time.perf_counter() - started) * 1000)
                    if response.status == 200 and b'"response_action": "update"' in answer.replace(b'":"', b'": "'):
                        tallies["accepted"] += 1
                    else:
                        tallies["refused"][response.status] += 1
                break
            turn += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    while any(thread.is_alive() for thread in threads):
        events["tick"](time.monotonic() - began)
        time.sleep(0.1)
    tallies["wall"] = time.monotonic() - began
    return tallies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=60, help="seconds of load")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--broker", default="", help="broker URL (default: a throwaway redis-server)")
    parser.add_argument("--timeout", type=float, default=300, help="give up waiting for the drain after this")
    parser.add_argument("--keep-logs", action="store_true", help="keep the processes' logs (path printed)")
    options = parser.parse_args()

    database_url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/haru_bench_two_nodes")
    ensure_database(database_url)
    workdir = Path(tempfile.mkdtemp(prefix="bench-two-nodes-"))
    redis = RedisServer(free_port(), str(workdir))
    redis.start()
    from tests.fakes.slack_api import FakeSlackAPI

    fake = FakeSlackAPI(token=TOKEN, quiet=True).start()
    fake.set_fault_profile(
        rate_5xx=0.05, rate_timeout=0.02, timeout_seconds=4, seed=7, methods=["chat.postMessage", "chat.update"]
    )
    env = {
        **os.environ,
        **TIMING,
        "DJANGO_SETTINGS_MODULE": "erp.settings.base",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis.url,
        "CELERY_BROKER_URL": options.broker or redis.url,
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_BASE_URL": fake.base_url,
        "DJANGO_DEBUG": "false",
        "LOG_LEVEL": os.environ.get("BENCH_LOG_LEVEL", "WARNING"),
        "HARU_VAR_DIR": str(workdir),
        "PYTHONPATH": str(ROOT),
        "PYTHONWARNINGS": "ignore::UserWarning",
    }
    os.environ.update({k: v for k, v in env.items() if k != "SLACK_BOT_TOKEN"})
    import django

    django.setup()
    data = seed(10)
    from django.db import connections

    from integrations.slack.core.models import SlackMessage

    SlackMessage.objects.all().delete()  # the seed's own notifications are not part of the run
    connections.close_all()
    os.environ["SLACK_BOT_TOKEN"] = TOKEN

    try:
        results = run_cluster(
            env, data, workdir, duration=options.duration, clients=options.clients, drain_timeout=options.timeout
        )
        report(options, fake, results)
    finally:
        fake.stop()
        redis.kill()
        if options.keep_logs:
            print(f"logs: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def run_cluster(
    env: dict,
    data: dict,
    workdir: Path,
    *,
    duration: float,
    clients: int,
    drain_timeout: float,
    web_workers: int = 2,
    concurrency: int = 2,
    say=lambda text: print(text, flush=True),
    clock=time.time,
) -> dict:
    """Two web nodes, two workers, one beat; SIGKILL a worker at 1/3 and a web node at 2/3 of
    the load; wait for the outbox to drain. Returns the tallies (tests/deploy/test_two_nodes.py
    asserts on them, main() prints them). Django must be set up on ``env``'s database;
    ``clock`` stamps the Slack signatures (the nodes check them against the real clock)."""
    ports = [free_port(), free_port()]
    bin_dir = ROOT / ".venv/bin"
    webs = [
        spawn(
            [
                str(bin_dir / "gunicorn"),
                "erp.wsgi:application",
                "-c",
                str(ROOT / "deploy/gunicorn.conf.py"),
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(web_workers),
                "--threads",
                "4",
                "--log-level",
                "warning",
            ],
            env,
            workdir / f"web{index}.log",
        )
        for index, port in enumerate(ports)
    ]
    celery = [str(bin_dir / "celery"), "-A", "erp"]
    worker_args = [
        "worker",
        "-Q",
        "slack,default",
        "--concurrency",
        str(concurrency),
        "--loglevel",
        "WARNING",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    workers = [
        spawn([*celery, *worker_args, "-n", f"w{index}@bench"], env, workdir / f"worker{index}.log")
        for index in range(2)
    ]
    beat = spawn(
        [*celery, "beat", "--loglevel", "WARNING", "-s", str(workdir / "beat-schedule")], env, workdir / "beat.log"
    )
    processes = [*webs, *workers, beat]
    incidents = {}
    try:
        for port in ports:
            wait_for_port(port, timeout=60)
        time.sleep(4)  # workers and beat connect

        def tick(elapsed: float) -> None:
            if "worker_killed" not in incidents and elapsed > duration / 3:
                kill_group(workers[0])
                incidents["worker_killed"] = round(elapsed, 1)
                say(f"  [{elapsed:5.1f}s] SIGKILL worker w0 (main process and pool)")
            if "web_killed" not in incidents and elapsed > duration * 2 / 3:
                kill_group(webs[0])
                incidents["web_killed"] = round(elapsed, 1)
                say(f"  [{elapsed:5.1f}s] SIGKILL web node 0 (master and workers)")

        say(f"load: {clients} clients for {duration:.0f} s on 2 web nodes ...")
        tallies = load(ports, data, clients, duration, {"tick": tick}, clock)
        tallies["drained_in"] = wait_for_drain(drain_timeout, say)
        tallies["incidents"] = incidents
        return tallies
    finally:
        for process in processes:
            if process.poll() is None:
                kill_group(process)


def wait_for_drain(timeout: float, say=lambda text: print(text, flush=True)) -> float:
    from integrations.slack.core.models import DeliveryStatus, SlackMessage

    began = time.monotonic()
    while time.monotonic() - began < timeout:
        open_rows = SlackMessage.objects.filter(status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING]).count()
        if not open_rows:
            break
        say(f"  {open_rows} outbox rows still open")
        time.sleep(1)
    return time.monotonic() - began


def outcome(fake, tallies: dict) -> dict:
    """What the run did to the data: tickets accepted vs created, lost and duplicated posts."""
    from integrations.slack.core.models import SlackMessage
    from tickets.models import Ticket

    rows = list(SlackMessage.objects.all())
    titles = Counter(Ticket.objects.filter(title__startswith="두 노드 부하").values_list("title", flat=True))
    return {
        "rows": rows,
        "by_status": Counter(row.status for row in rows),
        "accounting": delivery_accounting(rows, fake.messages),
        "created": sum(titles.values()),
        "created_twice": sum(1 for n in titles.values() if n > 1),
    }


def report(options, fake, tallies: dict) -> None:
    from integrations.slack.core.models import DeliveryStatus

    result = outcome(fake, tallies)
    accounting, by_status = result["accounting"], result["by_status"]
    drained_in = tallies["drained_in"]
    latency = tallies["latency"]
    sent = by_status.get(DeliveryStatus.SENT, 0)
    print()
    print("== Two web nodes, two workers, one beat ==")
    print(
        f"broker: {'RabbitMQ' if options.broker.startswith('amqp') else 'Redis'}; disruptions: {tallies['incidents']}"
    )
    print(
        f"requests: {len(latency)} in {tallies['wall']:.1f} s ({len(latency) / tallies['wall']:.1f}/s), "
        f"p50 {percentile(latency, 50):.0f} ms, p99 {percentile(latency, 99):.0f} ms; "
        f"failovers to the other node: {tallies['failovers']}; refused: {dict(tallies['refused'])}"
    )
    print(
        f"tickets accepted: {tallies['accepted']}, created: {result['created']}, "
        f"created twice: {result['created_twice']}"
    )
    print(f"outbox rows: {len(result['rows'])} {dict(by_status)}; drained {drained_in:.1f} s after the load ended")
    print(f"deliveries: {sent} sent, {sent / (tallies['wall'] + drained_in):.1f}/s over load + drain")
    print(
        f"lost posts/replies: {len(accounting['lost'])} of {accounting['sendable']}; "
        f"duplicated: {sum(accounting['duplicates'].values())}, "
        f"not after an ambiguous attempt: {len(accounting['unexplained_duplicates'])}"
    )


if __name__ == "__main__":
    main()
