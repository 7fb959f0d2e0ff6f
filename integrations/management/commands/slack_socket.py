"""Receive Slack's commands, buttons and events over Socket Mode (no public URL needed)."""

import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand

from integrations.slack.socket.runner import SocketModeRunner


class Command(BaseCommand):
    help = (
        "Keep a Socket Mode connection to Slack open and handle what arrives on it with the same "
        "dispatch as the HTTP request URLs. Needs SLACK_APP_TOKEN (xapp-…, scope connections:write); "
        "without it the command idles, so a Procfile or unit may list it unconditionally."
    )

    def add_arguments(self, parser):
        parser.add_argument("--concurrency", type=int, default=8, help="envelopes handled at once")
        parser.add_argument("--metrics-port", type=int, default=0, help="serve Prometheus metrics on this port")
        parser.add_argument("--metrics-addr", default="127.0.0.1")

    def handle(self, *args, concurrency, metrics_port, metrics_addr, **options):
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        if not settings.SLACK_APP_TOKEN:
            # Idle instead of exiting: honcho stops every process when one exits, and a
            # unit with Restart=always would restart an exiting one forever.
            self.stdout.write("Socket Mode is off (SLACK_APP_TOKEN is not set); Slack uses the request URLs.")
            stop.wait()
            return
        if metrics_port:
            from prometheus_client import start_http_server

            start_http_server(metrics_port, addr=metrics_addr)
        runner = SocketModeRunner(app_token=settings.SLACK_APP_TOKEN, concurrency=concurrency)
        self.stdout.write(f"Socket Mode: connecting as {runner.name}")
        runner.run(stop)
        self.stdout.write("Socket Mode: stopped")
