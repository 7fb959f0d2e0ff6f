"""How the long-running processes treat their memory and database connections."""

import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from celery.fixups.django import DjangoWorkerFixup

from erp import celery as celery_module

ROOT = Path(__file__).resolve().parents[2]


def test_a_web_worker_freezes_what_it_loaded_at_start_up():
    """Full garbage collections no longer walk Django, the URLconf and the catalogs."""
    script = "import gc, erp.wsgi\nprint(gc.get_freeze_count())\n"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert int(result.stdout.strip()) > 50_000


def test_the_worker_keeps_its_database_connection_between_tasks():
    """Celery's Django fix-up would close it before and after every task."""
    fixup = DjangoWorkerFixup(celery_module.app)
    assert fixup.db_reuse_max and fixup.db_reuse_max > 1_000_000


@pytest.mark.parametrize(("eager", "recycled"), [(False, True), (True, False)])
def test_old_connections_are_recycled_around_a_task_but_never_inside_an_eager_one(monkeypatch, eager, recycled):
    calls = []
    monkeypatch.setattr("django.db.close_old_connections", lambda: calls.append("closed"))
    task = SimpleNamespace(request=SimpleNamespace(is_eager=eager))
    celery_module._recycle_old_connections(sender=task)
    assert bool(calls) is recycled
