"""Liveness of the database and the Celery broker, each answered within about a second."""

import shutil
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db import connection

TIMEOUT_SECONDS = 1.0


def _redacted(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def _timed(check) -> dict:
    started = time.monotonic()
    try:
        detail = check() or {}
        result = {"ok": True, **detail}
    except Exception as exc:  # report any failure; the endpoint itself must not fail
        result = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
    result["ms"] = round((time.monotonic() - started) * 1000, 1)
    return result


def check_database() -> dict:
    def probe():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {"vendor": connection.vendor}

    return _timed(probe)


def check_broker(url: str | None = None, transport_options: dict | None = None) -> dict:
    url = url or settings.CELERY_BROKER_URL
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS if transport_options is None else transport_options

    def probe():
        if url.startswith("filesystem://"):
            folder = Path(options["data_folder_in"])
            folder.mkdir(parents=True, exist_ok=True)
            probe_file = folder / ".healthz"
            probe_file.write_text("ok")
            probe_file.unlink()
        elif url.startswith(("redis://", "rediss://")):
            import redis

            client = redis.Redis.from_url(url, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS)
            try:
                client.ping()
            finally:
                client.close()
        else:
            from kombu import Connection

            with Connection(url, connect_timeout=TIMEOUT_SECONDS) as conn:
                conn.ensure_connection(max_retries=1, timeout=TIMEOUT_SECONDS)
        return {"url": _redacted(url)}

    result = _timed(probe)
    result.setdefault("url", _redacted(url))
    return result


def disk_paths() -> dict[str, Path]:
    """The folders whose disks the portal writes to: uploads, var (file cache, broker), SQLite."""
    paths = {"uploads": Path(settings.MEDIA_ROOT), "var": Path(settings.VAR_DIR)}
    if connection.vendor == "sqlite":
        name = str(connection.settings_dict["NAME"])
        if name and ":memory:" not in name and "mode=memory" not in name:
            paths["database"] = Path(name).parent
    return paths


def check_disk(paths: dict[str, Path] | None = None, min_free: int | None = None) -> dict:
    """Free space on each disk; not ok when any has less than HARU_MIN_FREE_BYTES."""
    paths = disk_paths() if paths is None else paths
    min_free = settings.HARU_MIN_FREE_BYTES if min_free is None else min_free

    def probe():
        free = {}
        for name, path in paths.items():
            existing = path
            while not existing.exists() and existing != existing.parent:
                existing = existing.parent  # not created yet: its disk is the parent's
            free[name] = shutil.disk_usage(existing).free
        low = sorted(name for name, count in free.items() if count < min_free)
        if low:
            raise OSError(f"less than {min_free} bytes free for {', '.join(low)}: {free}")
        return {"free_bytes": free}

    return _timed(probe)
