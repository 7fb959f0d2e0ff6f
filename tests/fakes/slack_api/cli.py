"""Standalone entry point: serve the stand-in until killed (``python -m tests.fakes.slack_api``)."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from .identity import DEFAULT_TOKEN
from .server import FakeSlackAPI


def main(argv: list[str] | None = None) -> None:
    """Serve until interrupted, so the portal can be run by hand against a fake Slack."""
    from . import __doc__ as package_doc  # the package's docstring, as when this lived in one module

    parser = argparse.ArgumentParser(description=package_doc.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument("--quiet", action="store_true", help="do not log each request")
    options = parser.parse_args(argv)
    fake = FakeSlackAPI(options.token, host=options.host, port=options.port, quiet=options.quiet)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with fake:
        print(fake.base_url, flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
