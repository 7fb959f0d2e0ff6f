"""A private vhost on the machine's RabbitMQ (127.0.0.1:5672, guest) for one test.

Created with rabbitmqctl and deleted afterwards, so parallel runs never see each other's
messages. Skips, with the reason, where RabbitMQ is not installed or not running (CI
installs and starts it: .ci/run).
"""

import os
import shutil
import subprocess
import uuid
from contextlib import contextmanager

import pytest

from tests.integrations.slack.net import wait_for_port


@contextmanager
def rabbitmq_vhost(prefix: str = "haru-test"):
    if shutil.which("rabbitmqctl") is None:
        pytest.skip("RabbitMQ is not installed (CI installs and starts it)")
    try:
        wait_for_port(5672, timeout=2)
    except RuntimeError:
        pytest.skip("RabbitMQ is not running on 127.0.0.1:5672")
    vhost = f"{prefix}-{os.getpid()}-{uuid.uuid4().hex[:6]}"

    def ctl(*args):
        subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True, timeout=60)

    ctl("add_vhost", vhost)
    ctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
    try:
        yield f"amqp://guest:guest@127.0.0.1:5672/{vhost}"
    finally:
        ctl("delete_vhost", vhost)
