"""Pieces both Slack benchmarks use: spare ports, a throwaway redis-server, percentiles.

Imported by bench/slack_delivery.py and bench/slack_inbound.py (run as scripts, so this
directory is on sys.path, and so is the repository root: the port helpers are the tests'
own, tests/integrations/slack/net.py). Everything listens on 127.0.0.1 only.
"""

import signal
import subprocess

from tests.integrations.slack.net import free_port, wait_for_port

__all__ = ["RedisServer", "delivery_accounting", "free_port", "percentile", "wait_for_port"]


def delivery_accounting(rows, messages: dict) -> dict:
    """Lost and duplicated posts/replies of outbox ``rows`` in the fake's channel ``messages``.

    Every post and reply carries its outbox id in the message metadata. A duplicate is
    "explained" when its row recorded an ambiguous attempt (a timeout or a killed worker
    after Slack may have accepted the call), the one case at-least-once delivery allows.
    """
    from collections import Counter

    from integrations.slack.core.models import Operation

    posted = Counter()
    for channel_messages in messages.values():
        for message in channel_messages:
            payload = (message.get("metadata") or {}).get("event_payload") or {}
            if "outbox_id" in payload:
                posted[payload["outbox_id"]] += 1
    sendable = [r for r in rows if r.operation in (Operation.POST, Operation.REPLY)]
    duplicates = {pk: n - 1 for pk, n in posted.items() if n > 1}
    ambiguous_rows = {r.pk for r in rows if r.ambiguous_attempts}
    return {
        "sendable": len(sendable),
        "lost": [r for r in sendable if posted[r.pk] == 0],
        "duplicates": duplicates,
        "unexplained_duplicates": [pk for pk in duplicates if pk not in ambiguous_rows],
    }


def start_gunicorn(root, port: int, *, workers: int, threads: int, env: dict) -> subprocess.Popen:
    """The portal under gunicorn (gthread) on 127.0.0.1:``port``, as the benches run it."""
    command = [str(root / ".venv/bin/gunicorn"), "erp.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--worker-class", "gthread", "--threads", str(threads)]
    command += ["--keep-alive", "75", "--log-level", "warning"]
    return subprocess.Popen(command, cwd=root, env=env)


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile; NaN for no values (printed as "nan", never a fake 0)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))]


class RedisServer:
    """A redis-server without persistence on ``port``: a restart loses every queued task."""

    def __init__(self, port: int, workdir: str):
        self.port, self.workdir, self.process = port, workdir, None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--save", "", "--appendonly", "no", "--dir", self.workdir],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def kill(self) -> None:
        if self.process:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()
            self.process = None
