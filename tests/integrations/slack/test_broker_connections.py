"""The outbox keeps its broker connections: one per publishing thread, not one per publish."""

import pytest

from erp.people.models import Department
from integrations.slack.core import broker as broker_connections
from integrations.slack.core import outbox

from .conftest import broker
from .test_broker_outage import queued_ids

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_publishes_share_one_connection_and_survive_a_broker_restart(throwaway_redis, monkeypatch):
    opened = []
    real_open = broker_connections.open_connection
    monkeypatch.setattr(broker_connections, "open_connection", lambda: opened.append(1) or real_open())
    department = Department.objects.create(name="보안팀", code="sec")
    with broker(throwaway_redis.url):
        ids = [
            outbox.enqueue(kind="test.event", target="CSEC00001", text=f"점검 {n}", record=department).pk
            for n in range(5)
        ]
        assert all(outbox.publish(pk) for pk in ids)
        assert len(opened) == 1
        assert sorted(queued_ids(throwaway_redis.client())) == ids

        # Redis restarts: the kept connection is stale; redis-py reconnects it, or the publish
        # is tried again on a fresh one. Either way the task reaches the broker.
        throwaway_redis.stop()
        throwaway_redis.start()
        outbox.broker_backoff_reset()
        assert outbox.publish(ids[0]) is True
        assert len(opened) <= 2
        assert ids[0] in queued_ids(throwaway_redis.client())


def test_a_kept_connection_that_fails_is_closed_and_the_publish_tried_on_a_fresh_one(monkeypatch):
    class Connection:
        released = False

        def release(self):
            self.released = True

    stale, fresh, sent = Connection(), Connection(), []

    def send(connection):
        if connection is stale:
            raise ConnectionError("Connection closed by server.")
        sent.append(connection)

    monkeypatch.setattr(broker_connections._idle, "take", lambda: stale)
    monkeypatch.setattr(broker_connections, "open_connection", lambda: fresh)
    monkeypatch.setattr(broker_connections._idle, "give_back", lambda connection: None)
    broker_connections.publish_with(send)
    assert sent == [fresh] and stale.released and not fresh.released
