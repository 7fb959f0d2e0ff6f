"""Broker connections for the outbox's publishes, opened once and kept.

A publish on a fresh kombu connection costs a TCP connect, a PING, a queue declaration and
redis-py's driver look-up (importlib.metadata, every time): in the inquiry bench that was 30 %
of a web request's Python. Open connections are kept here for the next publish instead; one
that failed is closed and forgotten, so a broker that went away and came back costs one
failed publish (the sweeper re-sends that row), never a stuck process.
"""

import contextlib
import os
import threading

from django.conf import settings

# Publishes run in short helper threads (outbox._within_deadline), a few at a time at most.
KEEP_IDLE = 4


def open_connection():
    """A broker connection that gives up at the first refusal instead of retrying.

    kombu otherwise retries connecting for up to broker_connection_timeout (2 s) on every
    publish while Redis is down; a web request must not wait for that.
    """
    from erp.celery import app

    timeout = settings.SLACK_PUBLISH_TIMEOUT_SECONDS
    # Short socket timeouts too: a broker that accepts and never answers (review M6) must
    # not hold the request longer than that.
    options = {"max_retries": 0}
    if settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        options.update(socket_timeout=timeout, socket_connect_timeout=timeout)
    return app.connection_for_write(transport_options=options)


def _broker_url() -> str:
    from erp.celery import app

    return str(app.conf.broker_url)


class _Idle:
    def __init__(self):
        self.lock = threading.Lock()
        self.connections = []
        self.broker_url = ""

    def take(self):
        """A kept connection or None."""
        with self.lock:
            # The app may be pointed at another broker (tests do): never hand out the old one's.
            if self.broker_url != _broker_url():
                self.connections, self.broker_url = [], _broker_url()
            return self.connections.pop() if self.connections else None

    def give_back(self, connection) -> None:
        with self.lock:
            if len(self.connections) < KEEP_IDLE and self.broker_url == _broker_url():
                self.connections.append(connection)
                return
        discard(connection)

    def forget(self) -> None:
        # After a fork the parent's sockets are not ours to use, nor to close.
        self.connections = []
        self.lock = threading.Lock()


_idle = _Idle()
os.register_at_fork(after_in_child=_idle.forget)


def discard(connection) -> None:
    # A broken connection may fail to close as well; it is dropped either way.
    with contextlib.suppress(Exception):
        connection.release()


def publish_with(send) -> None:
    """``send(connection)`` on a kept connection, or a new one; kept again only if it worked.

    A kept connection that fails may just have gone stale (the broker restarted, an idle
    timeout): the publish is tried once more on a fresh one. The caller's deadline bounds both.
    """
    kept = _idle.take()
    if kept is not None:
        try:
            send(kept)
        except Exception:
            discard(kept)
        else:
            _idle.give_back(kept)
            return
    connection = open_connection()
    try:
        send(connection)
    except BaseException:
        discard(connection)
        raise
    _idle.give_back(connection)
