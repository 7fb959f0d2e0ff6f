"""One beat at a time: two schedulers in one process, then two real `celery beat` processes."""

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from integrations.ops import beat_lock
from integrations.ops.beat_lock import FileBeatLock, PostgresBeatLock, SingleBeatScheduler

ROOT = Path(settings.BASE_DIR)


def _scheduler(lock, **kwargs):
    from erp.celery import app

    return SingleBeatScheduler(app=app, beat_lock=lock, **kwargs)


def _second_waits_then_takes_over(make_lock, settings, caplog):
    settings.HARU_BEAT_LOCK_WAIT = True
    settings.HARU_BEAT_LOCK_RETRY_SECONDS = 0.05
    first = _scheduler(make_lock())
    taken = threading.Event()
    second_holder = {}

    def second_beat():
        second_holder["scheduler"] = _scheduler(make_lock())
        taken.set()

    with caplog.at_level(logging.INFO, logger=beat_lock.__name__):
        thread = threading.Thread(target=second_beat, daemon=True)
        thread.start()
        assert not taken.wait(0.5), "the second beat ran while the first held the lock"
        assert "this one waits as a standby" in caplog.text
        first.close()
        assert taken.wait(5), "the standby did not take over after the first beat closed"
    second_holder["scheduler"].close()
    assert "released by" in caplog.text


def _second_exits_without_waiting(make_lock, settings, caplog):
    settings.HARU_BEAT_LOCK_WAIT = False
    first = _scheduler(make_lock())
    try:
        with caplog.at_level(logging.ERROR, logger=beat_lock.__name__), pytest.raises(SystemExit) as exit_:
            _scheduler(make_lock())
        assert exit_.value.code == 1
        assert "Another beat is already running" in caplog.text
    finally:
        first.close()
    # Released on close: a new beat gets it at once.
    _scheduler(make_lock()).close()


@pytest.mark.django_db(transaction=True)
def test_file_lock_second_scheduler_waits_then_takes_over(tmp_path, settings, caplog):
    _second_waits_then_takes_over(lambda: FileBeatLock(tmp_path / "beat.lock"), settings, caplog)


@pytest.mark.django_db(transaction=True)
def test_file_lock_second_scheduler_exits_with_a_clear_line(tmp_path, settings, caplog):
    _second_exits_without_waiting(lambda: FileBeatLock(tmp_path / "beat.lock"), settings, caplog)


@pytest.mark.django_db(transaction=True)
def test_lost_lock_stops_the_beat(tmp_path, settings, caplog):
    lock = FileBeatLock(tmp_path / "beat.lock")
    scheduler = _scheduler(lock)
    lock.handle.close()  # as if the lock had been taken away
    with caplog.at_level(logging.ERROR, logger=beat_lock.__name__), pytest.raises(SystemExit):
        scheduler.tick()
    assert "lost" in caplog.text
    scheduler.close()


def test_default_lock_follows_the_database():
    assert isinstance(
        beat_lock.lock_for_database(settings.DATABASES["default"]),
        PostgresBeatLock if connection.vendor == "postgresql" else FileBeatLock,
    )
    assert settings.CELERY_BEAT_SCHEDULER == "integrations.ops.beat_lock:SingleBeatScheduler"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_advisory_lock_second_scheduler_waits_then_takes_over(settings, caplog):
    _second_waits_then_takes_over(lambda: PostgresBeatLock(connection.settings_dict), settings, caplog)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_advisory_lock_second_scheduler_exits_with_a_clear_line(settings, caplog):
    _second_exits_without_waiting(lambda: PostgresBeatLock(connection.settings_dict), settings, caplog)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_advisory_lock_session_lost_is_taken_again_when_free(settings):
    lock = PostgresBeatLock(connection.settings_dict)
    assert lock.try_acquire()
    with connection.cursor() as cursor:  # an administrator (or a failover) ends the session
        cursor.execute("SELECT pg_terminate_backend(%s)", [lock.connection.info.backend_pid])
    lock.renew()  # reconnects and, nobody else holding it, takes the lock again
    other = PostgresBeatLock(connection.settings_dict)
    assert not other.try_acquire()
    lock.release()
    assert other.try_acquire()
    other.release()


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _beat(tmp_path: Path, name: str, **env) -> tuple[subprocess.Popen, Path]:
    log = tmp_path / f"{name}.log"
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS_", "CELERY_", "HARU_TEST"))}
    clean.update(
        {
            "DJANGO_SETTINGS_MODULE": "erp.settings.base",
            "DATABASE_URL": _database_url(),
            "HARU_VAR_DIR": str(tmp_path / "var"),  # the file-system broker of the embedded default
            "HARU_BEAT_LOCK_RETRY_SECONDS": "0.5",
            **env,
        }
    )
    command = [sys.executable, "-m", "celery", "-A", "erp", "beat", "--loglevel", "INFO"]
    command += ["-s", str(tmp_path / f"{name}-schedule"), "--pidfile="]
    process = subprocess.Popen(command, cwd=ROOT, env=clean, stdout=open(log, "wb"), stderr=subprocess.STDOUT)
    return process, log


def _wait_for(log: Path, text: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in log.read_text(errors="replace"):
            return
        time.sleep(0.2)
    raise AssertionError(f"{text!r} not in {log.name}:\n{log.read_text(errors='replace')[-3000:]}")


@pytest.mark.postgres
@pytest.mark.cluster
def test_two_beat_processes_one_schedules_the_other_stands_by(transactional_db, tmp_path):
    first, first_log = _beat(tmp_path, "first")
    second = None
    try:
        _wait_for(first_log, "this beat schedules the periodic tasks")
        second, second_log = _beat(tmp_path, "second")
        _wait_for(second_log, "this one waits as a standby")
        assert "this beat schedules" not in second_log.read_text()

        refused, refused_log = _beat(tmp_path, "refused", HARU_BEAT_LOCK_WAIT="false")
        assert refused.wait(30) == 1
        assert "Another beat is already running" in refused_log.read_text()

        first.send_signal(signal.SIGTERM)  # systemctl stop: the lock is released on exit
        assert first.wait(20) is not None
        _wait_for(first_log, "released by")
        _wait_for(second_log, "this beat schedules the periodic tasks", timeout=20)
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()


@pytest.mark.postgres
@pytest.mark.cluster
def test_a_killed_beat_frees_the_lock(transactional_db, tmp_path):
    """SIGKILL runs no cleanup: the session ends with the process and PostgreSQL frees the lock."""
    first, first_log = _beat(tmp_path, "first")
    second = None
    try:
        _wait_for(first_log, "this beat schedules the periodic tasks")
        second, second_log = _beat(tmp_path, "second")
        _wait_for(second_log, "this one waits as a standby")
        first.kill()
        first.wait()
        _wait_for(second_log, "this beat schedules the periodic tasks", timeout=20)

        standby, standby_log = _beat(tmp_path, "standby")
        _wait_for(standby_log, "this one waits as a standby")
        standby.send_signal(signal.SIGTERM)  # a waiting beat stops at once, without a second wait
        assert standby.wait(20) == 0
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()
