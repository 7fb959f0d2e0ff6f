"""In-process service time of Slack requests, side by side with a bare rendered page.

What it measures: the CPU + database time Django spends on one signed Slack request, with no
network, gunicorn or load generator in the way (Django's test client in this process, the
bench PostgreSQL database). Each kind runs ``--rounds`` times after a warm-up, interleaved
(one request of each kind per round); the figures are median and p95 in ms, and the median as
a multiple of the login page's median measured in the same run (the target of issue 9: read
commands ≤ 3× a bare rendered page).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/haru_bench_service \\
        .venv/bin/python bench/slack_service_time.py --rounds 60

Slack is left unconfigured (no bot token): every kind here answers in the HTTP body, and the
outbox rows it writes wait as previews, exactly the work of the ack path.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "erp.settings.base")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/haru_bench_service")
os.environ["SLACK_SIGNING_SECRET"] = "bench-signing-secret"
os.environ["SLACK_BOT_TOKEN"] = ""
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost")

from bench.slack_inbound_setup import ensure_database, seed  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--tickets", type=int, default=200)
    options = parser.parse_args()
    ensure_database(os.environ["DATABASE_URL"])

    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from tests.fakes.slack_signing import signed_headers, slash_command_body

    data = seed(options.tickets)
    client = Client()
    number = data["tickets"][len(data["tickets"]) // 2][1]
    agent = data["agents"][0]

    def command(text: str, user: str = agent):
        body = slash_command_body(settings.SLACK_TICKET_COMMAND, text, user)
        headers = signed_headers(settings.SLACK_SIGNING_SECRET, body)
        return lambda: client.post(
            "/slack/commands", data=body, content_type="application/x-www-form-urlencoded", **headers
        )

    assignees = iter(range(10**9))
    kinds = {
        "login page (baseline)": lambda: client.get("/accounts/login/"),
        "/fs ticket": command(f"ticket {number}"),
        "/fs list": command("list"),
        "/fs search": command("search VPN"),
        "/fs help": command("help"),
        "/fs assign": lambda: command(f"assign {number} <@{data['agents'][next(assignees) % 2 + 1]}|x>")(),
    }
    for call in kinds.values():
        for _ in range(5):
            call()  # warm-up: caches, prepared plans, first-contact lookups
    # Interleaved, one request of each kind per round: a change in the machine's load during
    # the run then weighs on every kind alike, so the ratio to the login page stays honest.
    results = {name: [] for name in kinds}
    for _ in range(options.rounds):
        for name, call in kinds.items():
            started = time.perf_counter()
            response = call()
            results[name].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (name, response.status_code, response.content[:200])
    baseline = statistics.median(results["login page (baseline)"])
    print(f"{'kind':<24} {'p50 ms':>8} {'p95 ms':>8} {'× login':>8}")
    for name, samples in results.items():
        p50 = statistics.median(samples)
        p95 = sorted(samples)[int(len(samples) * 0.95) - 1]
        print(f"{name:<24} {p50:8.1f} {p95:8.1f} {p50 / baseline:8.1f}")


if __name__ == "__main__":
    main()
