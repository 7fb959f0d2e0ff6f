"""Fixtures for the Slack outbound tests.

Publishing goes to Celery's in-memory transport by default, so tests never leave tasks in
a shared broker; tests run deliveries by calling the task body directly. ``throwaway_redis``
starts a private redis-server on a spare port for the broker-outage tests.
"""

import shutil
import subprocess
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone

from erp.celery import app as celery_app
from erp.people.models import Department, Employee, Role
from integrations.slack.core import outbox
from integrations.slack.core.models import SlackMessage

from .factories import file_ticket
from .net import free_port, wait_for_port


def use_broker(url: str, transport_options: dict | None = None) -> None:
    """Point the Celery app at another broker and drop its cached connection pools."""
    celery_app.conf.broker_url = url
    celery_app.conf.broker_transport_options = transport_options or {}
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture(autouse=True)
def memory_broker(settings):
    old = celery_app.conf.broker_url, celery_app.conf.broker_transport_options
    use_broker("memory://")
    outbox.broker_backoff_reset()
    settings.SLACK_PACING = False
    settings.SLACK_RETRY_BASE_SECONDS = 10
    settings.SLACK_CLIENT_TIMEOUT = 5
    cache.clear()
    yield
    use_broker(*old)
    cache.clear()


def make_due(message: SlackMessage) -> None:
    """Move a rescheduled row's next attempt to now, as if its countdown had passed."""
    SlackMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))


class ThrowawayRedis:
    """A private redis-server on a spare port that a test may stop and start again."""

    def __init__(self, port: int, workdir):
        self.port = port
        self.workdir = workdir
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--save", "", "--appendonly", "no", "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def client(self):
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port, db=0)


@pytest.fixture
def throwaway_redis(tmp_path):
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (CI has it)")
    server = ThrowawayRedis(free_port(), tmp_path)
    server.start()
    yield server
    server.stop()


@contextmanager
def broker(url: str):
    old = celery_app.conf.broker_url, celery_app.conf.broker_transport_options
    use_broker(url, {"socket_connect_timeout": 2, "socket_timeout": 5, "visibility_timeout": 3600})
    try:
        yield
    finally:
        use_broker(*old)


@pytest.fixture
def people(db):
    """An infra group with a manager and two agents, a requester; all linked to Slack."""
    User = get_user_model()
    infra = Department.objects.create(name="인프라팀", code="infra", slack_channel_id="CINFRA001")
    dev = Department.objects.create(name="개발팀", code="dev", slack_channel_id="CDEV00001")

    def person(username, name, role, department, slack_id):
        user = User.objects.create_user(username, f"{username}@haru.example", "pw", is_staff=role != Role.STAFF)
        Employee.objects.create(user=user, display_name=name, role=role, department=department, slack_user_id=slack_id)
        return user

    return {
        "infra": infra,
        "dev": dev,
        "manager": person("minjun", "김민준", Role.MANAGER, infra, "UMANAGER1"),
        "agent": person("seoyeon", "이서연", Role.AGENT, infra, "UAGENT001"),
        "agent2": person("dohyun", "박도현", Role.AGENT, infra, "UAGENT002"),
        "requester": person("yejun", "윤예준", Role.STAFF, dev, "UREQUEST1"),
        "unlinked": person("nolink", "미연결", Role.AGENT, infra, None),
    }


def expand_notifications() -> int:
    """Turn pending notify rows into their real messages, as the worker does after commit."""
    from integrations.slack.core.delivery import deliver
    from integrations.slack.core.models import DeliveryStatus
    from integrations.slack.core.notify import NOTIFY

    rows = SlackMessage.objects.filter(operation=NOTIFY, status=DeliveryStatus.PENDING).order_by("pk")
    return sum(deliver(pk).status == DeliveryStatus.SENT for pk in rows.values_list("pk", flat=True))


def drain(rounds: int = 10) -> int:
    """Deliver every pending row, oldest first, as the worker would; returns deliveries made."""
    from integrations.slack.core.delivery import deliver
    from integrations.slack.core.models import DeliveryStatus

    done = 0
    for _ in range(rounds):
        ids = list(
            SlackMessage.objects.filter(status=DeliveryStatus.PENDING).order_by("pk").values_list("pk", flat=True)
        )
        if not ids:
            break
        SlackMessage.objects.filter(pk__in=ids).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
        for message_id in ids:
            if deliver(message_id).status == DeliveryStatus.SENT:
                done += 1
    return done


@pytest.fixture
def new_ticket(people):
    """Factory: an incident in the infra group, filed by the requester (or ``by``)."""
    from tickets.models import TicketType

    def create(**kwargs):
        kwargs.setdefault("ticket_type", TicketType.INCIDENT)
        by = kwargs.pop("by", None) or people["requester"]
        if "assignee" in kwargs and by == people["requester"]:
            by = people["manager"]
            kwargs.setdefault("requester", people["requester"])
        ticket = file_ticket(by=by, default_group=people["infra"], **kwargs)
        expand_notifications()  # its messages are queued, as after the worker's first look
        return ticket

    return create
