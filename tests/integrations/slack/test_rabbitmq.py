"""RabbitMQ as the broker, beside Redis: the delivery task is routed to the "slack" queue,
the status page counts it there, and a consumer receives exactly what the worker would run.

Uses a private vhost on the machine's RabbitMQ (127.0.0.1:5672, guest), created with
rabbitmqctl and deleted afterwards, so parallel runs never see each other's messages.
"""

import json
import os
import shutil
import subprocess

import pytest
from kombu import Connection

from integrations.ops.status import queue_depths
from integrations.slack.core import outbox
from integrations.slack.core.delivery import deliver
from integrations.slack.core.models import DeliveryStatus, SlackMessage

from .conftest import broker
from .net import wait_for_port


@pytest.fixture
def rabbitmq_url():
    if shutil.which("rabbitmqctl") is None:
        pytest.skip("RabbitMQ is not installed (CI installs and starts it)")
    try:
        wait_for_port(5672, timeout=2)
    except RuntimeError:
        pytest.skip("RabbitMQ is not running on 127.0.0.1:5672")
    vhost = f"haru-test-{os.getpid()}"

    def ctl(*args):
        subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True, timeout=60)

    ctl("add_vhost", vhost)
    ctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
    yield f"amqp://guest:guest@127.0.0.1:5672/{vhost}"
    ctl("delete_vhost", vhost)


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
