"""Worker and beat heartbeats: one row per process, refreshed by a daemon thread.

Celery's own heartbeats travel as broker events (gossip, which the Procfile switches off),
and django-celery-beat saves ``last_run_at`` only every few minutes; a row per process in
the database is what the status page and /metrics can read from any web node.
"""

import logging
import os
import socket
import threading

from django.db import close_old_connections
from django.utils import timezone

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 30
# Three missed beats: the process is reported as gone.
STALE_SECONDS = 3 * HEARTBEAT_SECONDS


def beat_once(name: str, role: str, queues: str = "", started_at=None) -> None:
    from integrations.ops.models import Heartbeat

    now = timezone.now()
    Heartbeat.objects.update_or_create(
        name=name[:160],
        defaults={"role": role, "queues": queues[:200], "seen_at": now, "started_at": started_at or now},
    )


def start(name: str, role: str, queues: str = "", interval: float = HEARTBEAT_SECONDS) -> threading.Event:
    """Refresh the row every ``interval`` s on a daemon thread; set the returned event to stop."""
    stop = threading.Event()
    started_at = timezone.now()

    def loop():
        while not stop.is_set():
            try:
                beat_once(name, role, queues, started_at)
            except Exception as exc:  # the database is down: the status page will say so
                logger.warning("Heartbeat of %s not recorded: %s", name, exc)
            finally:
                close_old_connections()
            stop.wait(interval)

    threading.Thread(target=loop, daemon=True, name=f"heartbeat-{role}").start()
    return stop


def connect_celery_signals() -> None:
    from celery.signals import beat_init, worker_ready

    worker_ready.connect(_on_worker_ready, weak=False, dispatch_uid="integrations.ops.worker_ready")
    beat_init.connect(_on_beat_init, weak=False, dispatch_uid="integrations.ops.beat_init")


def _on_worker_ready(sender=None, **kwargs):
    queues = ""
    try:
        queues = ",".join(sorted(q.name for q in sender.app.amqp.queues.consume_from.values()))
    except Exception:
        pass
    start(getattr(sender, "hostname", None) or f"worker@{socket.gethostname()}", "worker", queues)


def _on_beat_init(sender=None, **kwargs):
    start(f"beat@{socket.gethostname()}:{os.getpid()}", "beat")
