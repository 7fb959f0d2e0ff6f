"""What the system status page and /metrics report, read from the database and the broker.

Each part is bounded: grouped counts on indexed columns, one row per process or periodic
task, the broker asked with a one-second timeout. The uploads walk is cached for
UPLOADS_CACHE_SECONDS, as a large media folder takes a while to measure.
"""

import logging
import os
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Min
from django.utils import timezone

from integrations.ops.heartbeats import STALE_SECONDS

logger = logging.getLogger(__name__)

UPLOADS_CACHE_SECONDS = 300
BROKER_TIMEOUT_SECONDS = 1.0


@dataclass
class OutboxLine:
    kind: str
    status: str
    count: int
    oldest: datetime | None

    @property
    def oldest_age_seconds(self) -> float:
        return (timezone.now() - self.oldest).total_seconds() if self.oldest else 0.0


@dataclass
class ProcessLine:
    name: str
    role: str
    state: str
    seen_at: datetime | None
    detail: str = ""

    @property
    def age_seconds(self) -> float | None:
        return (timezone.now() - self.seen_at).total_seconds() if self.seen_at else None

    @property
    def alive(self) -> bool:
        age = self.age_seconds
        return age is not None and age <= STALE_SECONDS and self.state not in ("stopped",)


@dataclass
class Snapshot:
    outbox: list[OutboxLine] = field(default_factory=list)
    processes: list[ProcessLine] = field(default_factory=list)
    beat_tasks: list[dict] = field(default_factory=list)
    queues: dict[str, int | None] = field(default_factory=dict)
    uploads: dict = field(default_factory=dict)
    # (section, report) for every module's StatusSection (erp/core/status.py) that could be read.
    modules: list = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def outbox_lines() -> list[OutboxLine]:
    from integrations.slack.core.models import DeliveryStatus, SlackMessage

    open_statuses = (DeliveryStatus.PENDING, DeliveryStatus.SENDING, DeliveryStatus.FAILED)
    rows = (
        SlackMessage.objects.filter(status__in=open_statuses)
        .values("kind", "status")
        .annotate(count=Count("id"), oldest=Min("created_at"))
        .order_by("kind", "status")
    )
    return [OutboxLine(row["kind"], row["status"], row["count"], row["oldest"]) for row in rows]


def process_lines() -> list[ProcessLine]:
    from integrations.ops.models import Heartbeat
    from integrations.slack.socket.models import SocketConnection

    lines = [ProcessLine(row.name, row.role, "running", row.seen_at, row.queues) for row in Heartbeat.objects.all()]
    for row in SocketConnection.objects.all():
        detail = row.last_error or (f"disconnect: {row.last_disconnect_reason}" if row.last_disconnect_reason else "")
        lines.append(ProcessLine(row.name, "slack_socket", row.state, row.heartbeat_at, detail))
    return lines


def beat_tasks() -> list[dict]:
    from django_celery_beat.models import PeriodicTask

    return list(
        PeriodicTask.objects.order_by("name").values("name", "task", "enabled", "last_run_at", "total_run_count")
    )


def queue_depths(queues=None) -> dict[str, int | None]:
    """Messages waiting per Celery queue (None: this broker cannot tell)."""
    queues = queues or settings.HARU_QUEUES
    url = settings.CELERY_BROKER_URL
    if url.startswith(("redis://", "rediss://")):
        import redis

        client = redis.Redis.from_url(
            url, socket_connect_timeout=BROKER_TIMEOUT_SECONDS, socket_timeout=BROKER_TIMEOUT_SECONDS
        )
        try:
            return {queue: client.llen(queue) for queue in queues}
        finally:
            client.close()
    if url.startswith(("amqp://", "pyamqp://")):
        from kombu import Connection

        depths = {}
        with Connection(url, connect_timeout=BROKER_TIMEOUT_SECONDS) as connection:
            channel = connection.channel()
            for queue in queues:
                try:
                    depths[queue] = channel.queue_declare(queue=queue, passive=True).message_count
                except Exception:  # not declared yet: no worker ever consumed it
                    depths[queue] = 0
                    channel = connection.channel()
        return depths
    if url.startswith("filesystem://"):
        folder = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
        # One folder holds every queue's messages (file names end in the queue's name).
        return {queue: sum(1 for p in folder.glob(f"*.{queue}.msg")) for queue in queues}
    return dict.fromkeys(queues)


def uploads_usage() -> dict:
    """Bytes under MEDIA_ROOT (cached) and the free space of its file system (live)."""
    root = Path(settings.MEDIA_ROOT)
    used = cache.get("ops:uploads_bytes")
    if used is None:
        used = 0
        for dirpath, _dirs, files in os.walk(root):
            for name in files:
                try:
                    used += os.lstat(os.path.join(dirpath, name)).st_size
                except OSError:
                    pass
        cache.set("ops:uploads_bytes", used, UPLOADS_CACHE_SECONDS)
    probe = root if root.exists() else root.parent
    disk = shutil.disk_usage(probe) if probe.exists() else None
    return {
        "path": str(root),
        "used_bytes": used,
        "free_bytes": disk.free if disk else None,
        "total_bytes": disk.total if disk else None,
    }


def module_reports(errors: list[str]) -> list:
    """Every registered module section, read once; a section that fails is reported, not raised."""
    from erp.core.status import status_sections

    now = timezone.now()
    reports = []
    for section in status_sections():
        try:
            reports.append((section, section.read(now)))
        except Exception as exc:
            logger.warning("System status: %s unavailable: %s", section.key, exc)
            errors.append(f"{section.key}: {type(exc).__name__}: {exc}"[:300])
    return reports


def snapshot() -> Snapshot:
    """Everything at once; a part that fails is reported in ``errors`` instead."""
    result = Snapshot()
    for attr, read in (
        ("outbox", outbox_lines),
        ("processes", process_lines),
        ("beat_tasks", beat_tasks),
        ("queues", queue_depths),
        ("uploads", uploads_usage),
    ):
        try:
            setattr(result, attr, read())
        except Exception as exc:
            logger.warning("System status: %s unavailable: %s", attr, exc)
            result.errors.append(f"{attr}: {type(exc).__name__}: {exc}"[:300])
    result.modules = module_reports(result.errors)
    return result
