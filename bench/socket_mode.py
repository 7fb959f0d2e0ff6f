"""Benchmark: Socket Mode ack latency next to the HTTP endpoints, same command mix, same run.

What it does (prints its figures; nothing is asserted):

- sets up what bench/slack_inbound.py sets up (its PostgreSQL database, a throwaway Redis,
  the FakeSlackAPI process, ``gunicorn erp.wsgi`` with --workers × --threads), plus the
  loopback Socket Mode stand-in (tests/fakes/slack_socket.py) in this process and
  --socket-processes ``manage.py slack_socket`` processes (--threads envelopes each);
- runs bench/slack_inbound.py's request mix (slash commands, buttons, modal submissions,
  genuinely signed for HTTP; the same payloads as envelopes for Socket Mode) with --clients
  closed-loop clients for --duration seconds over HTTP, then over Socket Mode;
- prints p50/p90/p99 per transport and per request kind, and the Socket/HTTP ratio.
  Socket Mode latency is from sending the envelope to receiving its ack (the payload
  included), as Slack sees it; HTTP from sending the request to reading the answer.

Run::

    .venv/bin/python bench/socket_mode.py --duration 30
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import parse_qs

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from slack_common import RedisServer, free_port, percentile, start_gunicorn, wait_for_port  # noqa: E402
from slack_inbound import SECRET, TOKEN, Client, report, run_phase  # noqa: E402
from slack_inbound_setup import ensure_database, seed  # noqa: E402

from tests.fakes.slack_socket import APP_TOKEN, FakeSocketMode  # noqa: E402

FAKE_SOCKET: FakeSocketMode | None = None


class SocketClient(Client):
    """The same requests as envelopes: the form (or its payload field) as Socket Mode's JSON."""

    def _request(self, path: str, body: bytes, content_type: str) -> tuple[int, bytes]:
        form = {key: values[0] for key, values in parse_qs(body.decode(), keep_blank_values=True).items()}
        if path == "/slack/commands":
            envelope_id = FAKE_SOCKET.send("slash_commands", form)
        else:
            envelope_id = FAKE_SOCKET.send("interactive", json.loads(form["payload"]))
        ack = FAKE_SOCKET.wait_ack(envelope_id, timeout=30)
        return 200, json.dumps(ack.payload or {}, ensure_ascii=False).encode()


def main() -> None:
    global FAKE_SOCKET
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=30, help="seconds per transport")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker / socket process")
    parser.add_argument("--socket-processes", type=int, default=3, help="slack_socket processes")
    parser.add_argument("--tickets", type=int, default=200)
    options = parser.parse_args()
    if shutil.which("redis-server") is None:
        sys.exit("redis-server is needed for this benchmark")

    database_url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/haru_bench_inbound")
    ensure_database(database_url)
    fake_port, web_port = free_port(), free_port()
    workdir = tempfile.mkdtemp(prefix="bench-socket-")
    redis = RedisServer(free_port(), workdir)
    FAKE_SOCKET = FakeSocketMode().start()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "erp.settings.base",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis.url,
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_APP_TOKEN": APP_TOKEN,
        "SLACK_SOCKET_API_BASE_URL": FAKE_SOCKET.base_url,
        "SLACK_API_BASE_URL": f"http://127.0.0.1:{fake_port}/api/",
        "DJANGO_DEBUG": "false",
        "LOG_LEVEL": "CRITICAL",
        "HARU_VAR_DIR": workdir,
        "PYTHONPATH": str(ROOT),
        "PYTHONWARNINGS": "ignore::UserWarning",
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
        os.environ.update({k: v for k, v in env.items() if k not in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN")})
        import django

        django.setup()
        data = {**seed(options.tickets), "fake_port": fake_port}
        from django.db import connections

        connections.close_all()
        processes["web"] = start_gunicorn(ROOT, web_port, workers=options.workers, threads=options.threads, env=env)
        for index in range(options.socket_processes):
            processes[f"socket{index}"] = subprocess.Popen(
                [sys.executable, "manage.py", "slack_socket", "--concurrency", str(options.threads)],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
            )
        wait_for_port(web_port)
        FAKE_SOCKET.wait_links(options.socket_processes, timeout=60)
        print(
            f"gunicorn {options.workers} × {options.threads} threads; {options.socket_processes} slack_socket "
            f"processes × {options.threads} threads; {options.clients} clients, {options.duration:.0f} s each"
        )
        run_phase(web_port, data, options.clients, 3, "warm-up HTTP")
        run_phase(web_port, data, options.clients, 3, "warm-up Socket Mode", client_class=SocketClient)
        http = run_phase(web_port, data, options.clients, options.duration, "HTTP request URLs")
        socket_mode = run_phase(
            web_port, data, options.clients, options.duration, "Socket Mode envelopes", client_class=SocketClient
        )
        report(http)
        report(socket_mode)
        print("\n== Socket Mode / HTTP ==")
        for pct in (50, 90, 99):
            h = percentile([ms for _, ms in http["samples"]], pct)
            s = percentile([ms for _, ms in socket_mode["samples"]], pct)
            print(f"p{pct}: HTTP {h:.1f} ms, Socket Mode {s:.1f} ms, ratio {s / h:.2f}×")
        print(f"stand-in problems (acks Slack would refuse): {len(FAKE_SOCKET.problems)}")
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(15)
                except subprocess.TimeoutExpired:
                    process.kill()
        FAKE_SOCKET.stop()
        redis.kill()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
