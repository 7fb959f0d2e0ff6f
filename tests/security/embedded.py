"""Start the embedded default (`make run`'s web process: runserver on base settings) for real requests."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def embedded_server(var_dir: Path, *, server: str = "runserver", **env):
    """runserver as the Procfile starts it (or gunicorn as production does), with no
    environment but a private var folder."""
    port = free_port()
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_", "SLACK_", "DJANGO_"))}
    clean.update({"DJANGO_SETTINGS_MODULE": "erp.settings.base", "HARU_VAR_DIR": str(var_dir), **env})
    log = open(var_dir.parent / f"{server}.log", "w+")
    command = {
        "runserver": [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        "gunicorn": [sys.executable, "-m", "gunicorn", "erp.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
    }[server]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=clean,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if process.poll() is not None:
                    break
                time.sleep(0.2)
        else:
            raise RuntimeError("the embedded server did not start")
        yield Server(f"http://127.0.0.1:{port}", log)
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


class Server:
    def __init__(self, base: str, log):
        self.base, self._log = base, log

    def get(self, path: str, headers=None) -> tuple[int, dict, bytes]:
        request = urllib.request.Request(self.base + path, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def log(self) -> str:
        self._log.flush()
        self._log.seek(0)
        return self._log.read()
