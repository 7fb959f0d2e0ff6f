"""Redis down at commit time: the change commits, the row waits, the sweeper sends it later."""

import base64
import json

import pytest

from erp.people.models import Department
from integrations.slack.core import outbox
from integrations.slack.core.models import DeliveryStatus, SlackMessage
from integrations.slack.core.tasks import deliver_message, sweep_outbox

from .conftest import broker, make_due

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def queued_ids(redis_client) -> list[int]:
    """Outbox ids of the delivery tasks waiting in the broker's "slack" queue (CELERY_TASK_ROUTES)."""
    ids = []
    for raw in redis_client.lrange("slack", 0, -1):
        message = json.loads(raw)
        args, _kwargs, _embed = json.loads(base64.b64decode(message["body"]))
        assert message["headers"]["task"] == "integrations.slack.deliver_message"
        ids.append(args[0])
    return ids


def test_broker_down_at_commit_keeps_the_row_pending_then_the_sweeper_delivers(
    slack, throwaway_redis, settings, django_capture_on_commit_callbacks
):
    settings.SLACK_SWEEP_GRACE_SECONDS = 0
    department = Department.objects.create(name="보안팀", code="sec")
    with broker(throwaway_redis.url):
        assert outbox.publish(0) is True  # the broker works: a (harmless) task for a missing row
        throwaway_redis.client().delete("slack")
        throwaway_redis.stop()

        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            message = outbox.enqueue(kind="test.event", target="CSEC00001", text="보안 점검", record=department)
        assert len(callbacks) == 1  # the publish ran, failed quietly, and the commit stood
        message.refresh_from_db()
        assert message.status == DeliveryStatus.PENDING
        assert message.published_at is None  # so the sweeper does not wait for a republish window
        assert outbox.publish(message.pk) is False
        assert sweep_outbox.run() == 0  # still down: nothing published, nothing lost

        throwaway_redis.start()
        make_due(message)
        assert sweep_outbox.run() == 1
        assert queued_ids(throwaway_redis.client()) == [message.pk]

    assert deliver_message.run(message.pk) == DeliveryStatus.SENT
    assert SlackMessage.objects.get(pk=message.pk).ts
    assert len(slack.calls_to("chat.postMessage")) == 1
