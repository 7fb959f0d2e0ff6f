"""The embedded default's other disk writers on a full disk: file cache, file broker, logs, SQLite.

Each runs on a real 1 MiB tmpfs (tests/diskfull.py) and skips, with the reason, where
no file system can be mounted. Uploads are in tests/tickets/test_disk_full.py.
"""

import json
import logging
import sqlite3

import pytest
from django.db.utils import OperationalError
from django.test import RequestFactory
from kombu import Connection
from kombu.transport import filesystem

from erp.core.cache import DiskTolerantFileBasedCache
from erp.core.diskfull import DiskFullMiddleware, is_disk_full
from erp.core.health import check_broker, check_disk
from tests.diskfull import small_disk


@pytest.fixture
def disk(tmp_path):
    with small_disk(tmp_path) as mounted:
        if not mounted.real:
            pytest.skip("cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN)")
        yield mounted


def test_file_cache_skips_writes_on_a_full_disk(disk, caplog):
    cache = DiskTolerantFileBasedCache(str(disk.path / "cache"), {})
    cache.set("before", "kept")
    disk.fill()
    with caplog.at_level(logging.WARNING, logger="erp.core.cache"):
        cache.set("after", "x" * 100_000)  # Django's FileBasedCache raises OSError here
        assert cache.add("added", "y" * 100_000) is True  # as the Redis breaker: go on as if alone
    assert cache.get("after") is None and cache.get("added") is None and cache.get("before") == "kept"
    assert "disk is full" in caplog.text
    assert not any(p.name.startswith("tmp") for p in (disk.path / "cache").iterdir())  # no temp files left


def test_file_broker_on_a_full_disk_fails_the_health_check_and_the_publish_is_recognised(disk):
    folders = {name: disk.path / "broker" / name for name in ("queue", "control", "processed")}
    for folder in folders.values():
        folder.mkdir(parents=True)
    options = {
        "data_folder_in": str(folders["queue"]),
        "data_folder_out": str(folders["queue"]),
        "control_folder": str(folders["control"]),
        "processed_folder": str(folders["processed"]),
        "store_processed": False,
    }
    assert check_broker("filesystem://", options)["ok"]
    # kombu's virtual transports keep declared exchanges in one class-level state per process:
    # after an earlier test's file broker declared "slack" elsewhere, this queue's binding
    # would not be written to this broker's control folder and the puts would go nowhere.
    filesystem.Transport.global_state.clear()
    with Connection("filesystem://", transport_options=options) as connection:
        queue = connection.SimpleQueue("slack")  # declared while there was room
        queue.put({"message_id": 1})
        disk.fill()
        assert not check_broker("filesystem://", options)["ok"]
        with pytest.raises(Exception) as refused:  # kombu's ChannelError or the OSError itself
            queue.put({"message_id": 2, "padding": "x" * 100_000})
        assert queue.get(timeout=1).payload == {"message_id": 1}  # the message it took is still there
        queue.close()
    # What the outbox publish meets: recognised as a full disk; publish() itself never
    # raises (it leaves the row pending for the sweeper, tests/integrations/slack).
    assert is_disk_full(refused.value)


def test_log_writes_on_a_full_disk_do_not_raise(disk, capsys):
    handler = logging.FileHandler(disk.path / "haru.log")
    logger = logging.getLogger("tests.disk_full.log")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        disk.fill()
        for _ in range(50):
            logger.error("a long line %s", "x" * 10_000)  # logging reports the failure on stderr
    finally:
        logger.removeHandler(handler)
        handler.close()
    assert "No space left on device" in capsys.readouterr().err


def test_sqlite_on_a_full_disk_keeps_what_it_committed_and_answers_507(disk):
    path = disk.path / "haru.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE accepted (id INTEGER PRIMARY KEY, body TEXT)")
    db.commit()
    committed = 0
    with pytest.raises(sqlite3.OperationalError) as full:
        while True:
            with db:  # one transaction per row: each is accepted or not at all
                db.execute("INSERT INTO accepted (body) VALUES (?)", ["x" * 20_000])
            committed += 1
    assert "database or disk is full" in str(full.value)
    db.close()
    assert sqlite3.connect(path).execute("SELECT count(*) FROM accepted").fetchone()[0] == committed > 0

    # Django wraps it as its own OperationalError (raise … from): a view hitting it answers 507.
    try:
        raise OperationalError(str(full.value)) from full.value
    except OperationalError as wrapped:
        error = wrapped
    request = RequestFactory().post("/api/tickets/", {}, content_type="application/json")
    response = DiskFullMiddleware(lambda r: None).process_exception(request, error)
    assert response.status_code == 507 and json.loads(response.content)["code"] == "insufficient_storage"


def test_disk_check_names_the_full_disk(disk):
    assert check_disk({"uploads": disk.path}, min_free=64 * 1024)["ok"]
    disk.fill()
    result = check_disk({"uploads": disk.path, "var": disk.path / "not-yet-created"}, min_free=64 * 1024)
    assert not result["ok"] and "uploads" in result["error"] and "var" in result["error"]


def test_other_errors_are_not_taken_for_a_full_disk():
    assert not is_disk_full(PermissionError(13, "Permission denied"))
    assert not is_disk_full(OperationalError("no such table: tickets_ticket"))
    request = RequestFactory().get("/tickets/")
    assert DiskFullMiddleware(lambda r: None).process_exception(request, ValueError("x")) is None
