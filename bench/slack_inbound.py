"""Benchmark: the Slack inbound ack path under gunicorn, with and without Redis and Slack.

What it does (prints its figures; nothing is asserted):

- uses its own PostgreSQL database (``haru_bench_inbound`` by default; created, migrated and
  reset each run) seeded with 2 groups, 12 agents, 30 requesters and --tickets tickets;
- starts a throwaway ``redis-server`` on a spare port (broker + cache, so it can be stopped),
  a FakeSlackAPI subprocess (views.open, users.info …) and ``gunicorn erp.wsgi`` serving the
  portal (--workers × --threads, gthread) with DEBUG off;
- first a single client for --solo seconds (the service time without queueing), then
- runs --clients concurrent clients (threads, keep-alive ``http.client``) for --duration
  seconds each phase, every request genuinely signed, in this mix:
  slash commands (list, ticket details, Korean search, comment, status change), button clicks
  (assign to me, comment → views.open inline) and modal submissions (comment, create ticket);
- phase 1: everything up. Phase 2: Redis stopped and the Slack API process killed (connection
  refused), same load;
- prints p50/p90/p99/max latency, throughput and errors per phase and per request kind.
  An error is a non-200 answer, a failed connection, or a 200 whose text is the
  "Something went wrong" fallback (a handler bug). Refusals the product means to give
  (e.g. "already in progress", "Slack did not open the form") are answers, not errors.

Run::

    .venv/bin/python bench/slack_inbound.py            # defaults: 20 clients, 60 s per phase
    .venv/bin/python bench/slack_inbound.py --duration 20 --workers 3 --threads 4
    .venv/bin/python bench/slack_inbound.py --pace 1     # each client clicks once a second

PostgreSQL is reached as postgres@127.0.0.1:5432 unless BENCH_DATABASE_URL is set.
"""

import argparse
import http.client
import json
import os
import random
import shutil
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

from slack_common import RedisServer, free_port, percentile, start_gunicorn, wait_for_port  # noqa: E402  (after sys.path)
from slack_inbound_setup import ensure_database, seed  # noqa: E402

from tests.fakes.slack_signing import (  # noqa: E402  (after the sys.path line)
    block_actions_payload,
    checkboxes,
    interactivity_form_body,
    signed_http_headers,
    slash_command_body,
    static_select,
    view_submission_payload,
)

SECRET = "bench-signing-secret"
TOKEN = "xoxb-bench-token"
FORM = "application/x-www-form-urlencoded"
# name -> weight; writes and reads roughly as people use the command during a working day.
MIX = {
    "cmd_list": 10,
    "cmd_ticket": 10,
    "cmd_search": 10,
    "cmd_comment": 10,
    "cmd_status": 5,
    "btn_assign_me": 15,
    "btn_comment_modal": 10,
    "view_comment": 15,
    "view_create": 15,
}
BUG_MARKER = "Something went wrong"


# --- load ----------------------------------------------------------------------------------


class Client:
    """One simulated Slack delivery pipe: keep-alive HTTP, genuinely signed bodies."""

    def __init__(self, port: int, data: dict, seed_value: int):
        self.port = port
        # Replies to buttons go to the interaction's response_url: point it at the fake Slack.
        self.response_url = f"http://127.0.0.1:{data['fake_port']}/api/response/bench"
        self.data = data
        self.rng = random.Random(seed_value)
        self.conn = None
        kinds, weights = zip(*MIX.items(), strict=True)
        self.kinds, self.weights = kinds, weights

    def _request(self, path: str, body: bytes, content_type: str) -> tuple[int, bytes]:
        headers = {"Content-Type": content_type, **signed_http_headers(SECRET, body)}
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            try:
                self.conn.request("POST", path, body=body, headers=headers)
                response = self.conn.getresponse()
                return response.status, response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed an idle keep-alive connection: reconnect once, like Slack.
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def one(self) -> tuple[str, int, bytes]:
        kind = self.rng.choices(self.kinds, self.weights)[0]
        rng, data = self.rng, self.data
        agent = rng.choice(data["agents"])
        pk, number = rng.choice(data["tickets"])
        if kind.startswith("cmd_"):
            text = {
                "cmd_list": "list",
                "cmd_ticket": f"ticket {number}",
                "cmd_search": "검색 VPN",
                "cmd_comment": f"comment {number} 확인 중입니다. 잠시만 기다려 주세요.",
                "cmd_status": f"status {number} {rng.choice(['진행중', '대기', 'open'])}",
            }[kind]
            body = slash_command_body("/fs", text, agent, "CINFRA001")
            status, answer = self._request("/slack/commands", body, FORM)
            return kind, status, answer
        if kind == "btn_assign_me":
            payload = block_actions_payload("tickets.assign_me", str(pk), user_id=agent, channel_id="CINFRA001")
        elif kind == "btn_comment_modal":
            payload = block_actions_payload("tickets.comment", str(pk), user_id=agent, channel_id="CINFRA001")
        elif kind == "view_comment":
            values = {
                "body": {"value": "원격으로 재설정했습니다. 다시 시도해 주세요."},
                "internal": {"value": checkboxes([])},
            }
            payload = view_submission_payload("tickets.comment", values, json.dumps({"ticket": pk}), agent)
        else:  # view_create
            requester = rng.choice(data["requesters"])
            values = {
                "title": {"value": "모니터 깜빡임 문제"},
                "description": {"value": "3층 회의실 모니터가 깜빡입니다."},
                "ticket_type": {"value": static_select("incident")},
                "impact": {"value": static_select("medium")},
                "urgency": {"value": static_select("low")},
                "group": {"value": static_select(str(data["infra_id"]))},
                "sensitive": {"value": checkboxes([])},
            }
            payload = view_submission_payload("tickets.create", values, "{}", requester)
        if "response_url" in payload:
            payload["response_url"] = self.response_url
        status, answer = self._request("/slack/interactivity", interactivity_form_body(payload), FORM)
        return kind, status, answer


def run_phase(
    port: int, data: dict, clients: int, duration: float, label: str, pace: float = 0.0, client_class=None
) -> dict:
    """Closed loop when ``pace`` is 0; otherwise each client starts a request every ``pace``
    seconds and latency counts from the scheduled start (no coordinated omission).
    ``client_class`` replaces the HTTP Client (bench/socket_mode.py sends envelopes)."""
    results = defaultdict(list)  # kind -> [latency ms]
    errors = Counter()
    samples = []
    stop_at = time.monotonic() + duration
    lock = threading.Lock()

    def worker(index: int) -> None:
        client = (client_class or Client)(port, data, seed_value=hash((label, index)) & 0xFFFF)
        local = []
        next_start = time.perf_counter() + (index / clients) * pace  # spread the clients out
        while time.monotonic() < stop_at:
            if pace:
                delay = next_start - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                started = next_start
                next_start += pace
            else:
                started = time.perf_counter()
            try:
                kind, status, answer = client.one()
                elapsed = (time.perf_counter() - started) * 1000
                if status != 200:
                    errors[f"{kind}: HTTP {status}"] += 1
                elif BUG_MARKER.encode() in answer:
                    errors[f"{kind}: handler error"] += 1
                local.append((kind, elapsed))
            except Exception as exc:  # a failed connection is an error too
                elapsed = (time.perf_counter() - started) * 1000
                errors[f"connection: {type(exc).__name__}"] += 1
                local.append(("connection", elapsed))
        with lock:
            samples.extend(local)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    load_before = os.getloadavg()[0]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - began
    for kind, elapsed in samples:
        results[kind].append(elapsed)
    load = f"{load_before:.1f} / {os.getloadavg()[0]:.1f}"
    return {"label": label, "wall": wall, "samples": samples, "by_kind": results, "errors": errors, "load": load}


def report(phase: dict) -> None:
    latencies = [elapsed for _, elapsed in phase["samples"]]
    total = len(latencies)
    print(f"\n== {phase['label']} ==  (load average before/after: {phase['load']})")
    print(
        f"requests {total} in {phase['wall']:.1f} s ({total / phase['wall']:.0f}/s); "
        f"p50 {percentile(latencies, 50):.1f} ms, p90 {percentile(latencies, 90):.1f} ms, "
        f"p99 {percentile(latencies, 99):.1f} ms, max {max(latencies, default=0):.1f} ms; "
        f"errors {sum(phase['errors'].values())}"
    )
    print(f"{'kind':<20}{'n':>7}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for kind in sorted(phase["by_kind"]):
        values = phase["by_kind"][kind]
        print(
            f"{kind:<20}{len(values):>7}{percentile(values, 50):>9.1f}{percentile(values, 99):>9.1f}{max(values):>9.1f}"
        )
    for what, count in phase["errors"].most_common():
        print(f"  error: {what} × {count}")


# --- orchestration ---------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60, help="seconds per phase")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (gthread)")
    parser.add_argument("--tickets", type=int, default=200)
    parser.add_argument("--skip-outage", action="store_true", help="only the all-up phase")
    parser.add_argument("--solo", type=float, default=15, help="seconds of a single-client phase first (0: skip)")
    parser.add_argument(
        "--pace",
        type=float,
        default=0.0,
        help="seconds between one client's requests (0 = closed loop, as fast as answers come)",
    )
    options = parser.parse_args()
    if shutil.which("redis-server") is None:
        sys.exit("redis-server is needed for this benchmark")

    database_url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/haru_bench_inbound")
    ensure_database(database_url)
    fake_port, web_port = free_port(), free_port()
    workdir = tempfile.mkdtemp(prefix="bench-inbound-")
    redis = RedisServer(free_port(), workdir)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "erp.settings.base",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis.url,
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_BASE_URL": f"http://127.0.0.1:{fake_port}/api/",
        "DJANGO_DEBUG": "false",
        "LOG_LEVEL": "CRITICAL",  # slack_sdk logs every refused call at ERROR in phase 2
        "HARU_VAR_DIR": workdir,
        "PYTHONPATH": str(ROOT),
        "PYTHONWARNINGS": "ignore::UserWarning",  # whitenoise: no collected static files here
    }
    processes = {}
    try:
        redis.start()
        processes["slack"] = subprocess.Popen(
            [sys.executable, "-m", "tests.fakes.slack_api", "--port", str(fake_port), "--token", TOKEN, "--quiet"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        wait_for_port(fake_port)

        os.environ.update({k: v for k, v in env.items() if k != "SLACK_BOT_TOKEN"})  # seed without Slack noise
        import django

        django.setup()
        started = time.monotonic()
        data = {**seed(options.tickets), "fake_port": fake_port}
        print(f"seeded {len(data['tickets'])} tickets in {time.monotonic() - started:.1f} s")
        from django.db import connections

        connections.close_all()

        processes["web"] = start_gunicorn(ROOT, web_port, workers=options.workers, threads=options.threads, env=env)
        wait_for_port(web_port)
        print(
            f"gunicorn {options.workers} workers × {options.threads} threads on {os.cpu_count()} CPUs; "
            f"{options.clients} clients, {options.duration:.0f} s per phase"
        )
        run_phase(web_port, data, options.clients, 3, "warm-up")  # fill connection pools, caches
        if options.solo:
            # One client, one request at a time: the service time without queueing.
            report(run_phase(web_port, data, 1, options.solo, "all up, a single client (service time)"))
        mode = f"paced, one request per client every {options.pace:g} s" if options.pace else "closed loop"
        report(run_phase(web_port, data, options.clients, options.duration, f"all up, {mode}", options.pace))
        if not options.skip_outage:
            redis.kill()
            processes["slack"].kill()
            processes["slack"].wait()
            label = f"Redis stopped, Slack API unreachable, {mode}"
            report(run_phase(web_port, data, options.clients, options.duration, label, options.pace))
    finally:
        redis.kill()
        for process in processes.values():
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
