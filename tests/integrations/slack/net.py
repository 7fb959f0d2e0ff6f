"""Local ports for throwaway servers (redis-server, fakes): used by the Slack tests and benches.

bench/slack_common.py re-exports these, as the benches already import tests.fakes; keep
this module free of Django and pytest imports so a bench can load it before setup.
"""

import socket
import time


def free_port() -> int:
    """A port nobody listens on right now on 127.0.0.1 (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 20) -> None:
    """Block until something accepts connections on ``port``; RuntimeError after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listening on {port}")
