"""One beat in the installation: django-celery-beat's DatabaseScheduler behind a lock.

django-celery-beat has no lock of its own (celery/django-celery-beat#229, #337: two beats
schedule every periodic task twice); celery-redbeat has one but is a different scheduler
that keeps the schedule in Redis, away from the admin's periodic task pages. So the
DatabaseScheduler is kept and the lock is taken before it reads its tables:

- PostgreSQL (every multi-host installation): a session-level advisory lock on a
  connection of its own. PostgreSQL drops it when that session ends, however the beat
  dies (SIGKILL, lost host), so nothing ever has to expire; "renewal" is checking on each
  tick that the session is still there, and re-taking the lock if it had to reconnect.
- SQLite (the embedded default, one machine): an ``flock`` on ``VAR_DIR/beat.lock``,
  which the kernel releases when the process exits.

A second beat waits (``HARU_BEAT_LOCK_WAIT``, default on), logging who holds the lock and
trying again every ``HARU_BEAT_LOCK_RETRY_SECONDS``; the moment the holder is gone it
takes over and reads the schedule afresh, so systemd can run a standby beat on a second
host. With waiting off it exits at once with status 1 (the log line says why).
"""

import fcntl
import logging
import os
import socket
import threading
import time
import zlib
from pathlib import Path

from django.conf import settings
from django_celery_beat.schedulers import DatabaseScheduler

logger = logging.getLogger(__name__)

# pg_advisory_lock takes a bigint; this one is derived from a fixed name so that every
# beat of the installation (same database) asks for the same lock.
LOCK_NAME = "haru.celery-beat"
LOCK_KEY = zlib.crc32(LOCK_NAME.encode())


def holder_name() -> str:
    return f"beat@{socket.gethostname()}:{os.getpid()}"


class LockLost(RuntimeError):
    """The lock can no longer be shown to be ours: this beat must stop scheduling."""


class PostgresBeatLock:
    """``pg_try_advisory_lock`` on a dedicated psycopg connection (never Django's, which
    close_old_connections() may close under the scheduler)."""

    def __init__(self, db: dict, key: int = LOCK_KEY):
        self.db = db
        self.key = key
        self.connection = None

    def _connect(self):
        import psycopg

        options = self.db.get("OPTIONS", {})
        return psycopg.connect(
            dbname=self.db["NAME"],
            user=self.db.get("USER") or None,
            password=self.db.get("PASSWORD") or None,
            host=self.db.get("HOST") or None,
            port=self.db.get("PORT") or None,
            autocommit=True,
            connect_timeout=5,
            application_name=holder_name()[:63],
            **{k: v for k, v in options.items() if k in ("sslmode", "sslrootcert")},
        )

    def try_acquire(self) -> bool:
        if self.connection is None or self.connection.closed:
            self.connection = self._connect()
        got = self.connection.execute("SELECT pg_try_advisory_lock(%s)", [self.key]).fetchone()[0]
        if not got:
            self.connection.close()
            self.connection = None
        return got

    def holder(self) -> str:
        """Who holds it, from pg_locks (the holder's application_name), for the log line."""
        try:
            with self._connect() as probe:
                row = probe.execute(
                    "SELECT a.application_name, a.client_addr FROM pg_locks l JOIN pg_stat_activity a "
                    "ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted AND l.objid = %s "
                    "AND l.classid = 0 LIMIT 1",
                    [self.key & 0xFFFFFFFF],
                ).fetchone()
        except Exception as exc:
            return f"unknown ({exc})"
        return f"{row[0] or '?'} from {row[1] or 'local socket'}" if row else "nobody (just released)"

    def renew(self) -> None:
        """Still ours? The lock lives exactly as long as the session that took it."""
        try:
            held = self.connection.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND pid = pg_backend_pid() AND objid = %s AND classid = 0",
                [self.key & 0xFFFFFFFF],
            ).fetchone()[0]
        except Exception as exc:  # the session is gone, and the lock with it
            self.connection = None
            logger.warning("Beat lock session lost (%s); trying to take the lock again", exc)
            try:
                held = self.try_acquire()
            except Exception as again:
                raise LockLost(f"database unreachable: {again}") from again
            if not held:
                raise LockLost(f"another beat took the lock meanwhile: {self.holder()}") from exc
            return
        if not held:
            raise LockLost("the advisory lock is no longer held by this session")

    def release(self) -> None:
        if self.connection is not None and not self.connection.closed:
            try:
                self.connection.execute("SELECT pg_advisory_unlock(%s)", [self.key])
            finally:
                self.connection.close()
        self.connection = None


class FileBeatLock:
    """``flock`` on a file under VAR_DIR: one machine, the embedded SQLite default."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.handle = None

    def try_acquire(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(holder_name())
        handle.flush()
        self.handle = handle
        return True

    def holder(self) -> str:
        try:
            return self.path.read_text().strip() or "unknown"
        except OSError:
            return "unknown"

    def renew(self) -> None:
        if self.handle is None or self.handle.closed:
            raise LockLost("the lock file is no longer open")

    def release(self) -> None:
        if self.handle is not None and not self.handle.closed:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()
        self.handle = None


def lock_for_database(db: dict | None = None):
    db = db or settings.DATABASES["default"]
    if db["ENGINE"].endswith("postgresql"):
        return PostgresBeatLock(db)
    return FileBeatLock(Path(settings.VAR_DIR) / "beat.lock")


def acquire(lock, *, wait: bool, retry_seconds: float, stop: threading.Event | None = None) -> None:
    """Take the lock, or wait for it (``stop`` ends the wait, for tests), or exit."""
    logged_holder = None
    while True:
        if lock.try_acquire():
            logger.info("Beat lock %s taken by %s: this beat schedules the periodic tasks", LOCK_NAME, holder_name())
            return
        holder = lock.holder()
        if not wait:
            logger.error(
                "Another beat is already running (%s holds the lock %s); this one exits. "
                "Run one beat per installation, or set HARU_BEAT_LOCK_WAIT=true for a standby.",
                holder,
                LOCK_NAME,
            )
            raise SystemExit(1)
        if holder != logged_holder:
            logger.warning(
                "Another beat is running (%s holds the lock %s); this one waits as a standby, trying again every %s s",
                holder,
                LOCK_NAME,
                retry_seconds,
            )
            logged_holder = holder
        if stop is not None:
            if stop.wait(retry_seconds):
                raise SystemExit(0)
        else:
            time.sleep(retry_seconds)


# True while this process's beat waits for the lock (see SingleBeatScheduler._take_lock).
_standby = False


class SingleBeatScheduler(DatabaseScheduler):
    """The DatabaseScheduler, run only by the beat that holds the installation's lock."""

    def __init__(self, *args, beat_lock=None, lock_stop: threading.Event | None = None, lazy=False, **kwargs):
        self.beat_lock = beat_lock or lock_for_database()
        # `celery beat` builds a lazy instance only to print its banner: it never ticks,
        # so it takes no lock (it would hold it against the real one).
        if not lazy:
            self._take_lock(lock_stop)
        try:
            super().__init__(*args, lazy=lazy, **kwargs)
        except BaseException:
            self.beat_lock.release()
            raise

    def _take_lock(self, lock_stop) -> None:
        global _standby
        if _standby:
            # SIGTERM while waiting: celery's handler asks for the scheduler again to save
            # it, which would start a second wait inside the handler. Nothing to save.
            logger.info("Beat stopped while waiting for the lock %s", LOCK_NAME)
            raise SystemExit(0)
        # Before DatabaseScheduler.__init__: a standby must neither write the default
        # entries nor read last_run_at until it is the one scheduling.
        _standby = True
        try:
            acquire(
                self.beat_lock,
                wait=settings.HARU_BEAT_LOCK_WAIT,
                retry_seconds=settings.HARU_BEAT_LOCK_RETRY_SECONDS,
                stop=lock_stop,
            )
        finally:
            _standby = False

    def tick(self, *args, **kwargs):
        try:
            self.beat_lock.renew()
        except LockLost as exc:
            # Never schedule without the lock: stop, and let systemd start a standby again.
            logger.error("Beat lock %s lost (%s); this beat stops scheduling and exits", LOCK_NAME, exc)
            raise SystemExit(1) from exc
        return super().tick(*args, **kwargs)

    def close(self):
        try:
            super().close()
        finally:
            self.beat_lock.release()
            logger.info("Beat lock %s released by %s", LOCK_NAME, holder_name())
