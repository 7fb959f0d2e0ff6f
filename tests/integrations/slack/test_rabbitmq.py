"""RabbitMQ as the broker, beside Redis: the delivery task is routed to the "slack" queue,
the status page counts it there, and a consumer receives exactly what the worker would run.

Uses a private vhost on the machine's RabbitMQ (tests/brokers.py), so parallel runs never
see each other's messages.
"""

import json

import pytest
from kombu import Connection

from integrations.ops.status import queue_depths
from integrations.slack.core import outbox
from integrations.slack.core.delivery import deliver
from integrations.slack.core.models import DeliveryStatus, SlackMessage
from tests.brokers import rabbitmq_vhost

from .conftest import broker


@pytest.fixture
def rabbitmq_url():
    with rabbitmq_vhost() as url:
        yield url


def test_delivery_over_rabbitmq(rabbitmq_url, slack, settings, db):
    settings.CELERY_BROKER_URL = rabbitmq_url
    row = SlackMessage.objects.create(kind="test.rabbit", target="CRABBIT01", text="토끼 브로커")
    with broker(rabbitmq_url):
        assert outbox.publish(row.pk) is True
        depths = queue_depths(["slack", "default"])
        assert depths["slack"] == 1 and depths["default"] == 0  # routed by kind of work
        with Connection(rabbitmq_url) as connection:
            queue = connection.SimpleQueue("slack")
            message = queue.get(timeout=5)
            assert message.headers["task"] == "integrations.slack.deliver_message"
            args, _kwargs, _embed = json.loads(message.body) if isinstance(message.body, str) else message.payload
            message.ack()
            queue.close()
    assert args == [row.pk]
    assert deliver(args[0]).status == DeliveryStatus.SENT  # what the worker then runs
    (call,) = slack.calls_to("chat.postMessage")
    assert call.args["channel"] == "CRABBIT01"
