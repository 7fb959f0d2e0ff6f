"""The long-lived Socket Mode process: slack_sdk's SocketModeClient kept connected.

slack_sdk's built-in client does the WebSocket work: ``apps.connections.open`` with the
app-level token, ping/pong (a connection silent for 4 pings is dropped as stale), and
on a ``disconnect`` frame (``refresh_requested``, ``warning``, ``link_disabled``) a new
connection is opened before the old one is closed. Its own reconnect-on-close is turned
off: this runner reconnects instead, with exponential backoff and jitter, so a network
outage or an app whose Socket Mode was switched off (``apps.connections.open`` refused)
costs one Tier-1 call per backoff step, never a tight loop.

Envelopes run on the client's thread pool through ``envelopes.handle``; the ack is sent on
whichever connection is current. An ack lost with a dropped connection is harmless: Slack
redelivers, and the stored envelope receipt answers again without handling it twice.
Several processes may run at once: Slack spreads envelopes over their connections.
"""

import json
import logging
import os
import random
import socket
import threading
import time

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone
from slack_sdk import WebClient
from slack_sdk.socket_mode.builtin import SocketModeClient

from integrations.slack.socket import envelopes, metrics
from integrations.slack.socket.models import ConnectionState, SocketConnection

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 15
MAX_BACKOFF_SECONDS = 120
# Slack switched Socket Mode off for the app: trying again soon is pointless.
LINK_DISABLED_BACKOFF_SECONDS = 300


def process_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class SocketModeRunner:
    def __init__(
        self,
        *,
        app_token: str,
        api_base_url: str | None = None,
        name: str | None = None,
        concurrency: int = 8,
        ping_interval: float = 5,
        heartbeat_seconds: float = HEARTBEAT_SECONDS,
    ):
        base_url = api_base_url or settings.SLACK_SOCKET_API_BASE_URL or settings.SLACK_API_BASE_URL
        web_client = WebClient(base_url=base_url if base_url.endswith("/") else base_url + "/", timeout=5)
        self.name = name or process_name()
        self.heartbeat_seconds = heartbeat_seconds
        self.client = SocketModeClient(
            app_token=app_token,
            web_client=web_client,
            auto_reconnect_enabled=False,
            ping_interval=ping_interval,
            concurrency=concurrency,
            receive_buffer_size=64 * 1024,
            on_message_listeners=[self._on_frame],
            on_close_listeners=[self._on_close],
        )
        self.client.message_listeners.append(self._on_message)
        self._lock = threading.Lock()
        self._changed = threading.Event()
        self._state = ConnectionState.CONNECTING
        self._num_connections = None
        self._reconnects = 0
        self._envelopes = 0
        self._last_reason = ""
        self._last_error = ""
        self._connected_at = None
        self._failures = 0
        self._next_attempt = 0.0
        self._dirty = True
        self._last_written = 0.0
        self.started_at = timezone.now()

    # -- the supervising loop (main thread) ----------------------------------------

    def run(self, stop: threading.Event) -> None:
        """Stay connected until ``stop`` is set; then close and mark this process stopped."""
        try:
            while not stop.is_set():
                self._keep_connected()
                self._write_state()
                self._changed.wait(timeout=min(1.0, self.heartbeat_seconds))
                self._changed.clear()
        finally:
            self.close()

    def close(self) -> None:
        try:
            self.client.close()
        except Exception:
            logger.exception("Closing the Socket Mode client failed")
        self._set(state=ConnectionState.STOPPED)
        self._write_state(force=True)
        close_old_connections()

    def _keep_connected(self) -> None:
        if self.client.is_connected():
            return
        now = time.monotonic()
        if now < self._next_attempt:
            return
        if self._state == ConnectionState.CONNECTED:
            self._set(state=ConnectionState.RECONNECTING)
        try:
            self.client.connect_to_new_endpoint()
        except Exception as exc:  # SlackApiError, URLError, OSError, handshake failures
            self._failures += 1
            backoff = min(MAX_BACKOFF_SECONDS, 2 ** min(self._failures, 10))
            if self._last_reason == "link_disabled":
                backoff = max(backoff, LINK_DISABLED_BACKOFF_SECONDS)
            self._next_attempt = now + backoff * random.uniform(0.5, 1.0)
            self._set(error=f"{type(exc).__name__}: {exc}"[:300])
            metrics.SOCKET_CONNECT_FAILURES.inc()
            logger.warning("Socket Mode connection failed (%s); next try in %.0f s", exc, backoff)
            return
        self._failures = 0

    # -- listeners (slack_sdk threads) ---------------------------------------------

    def _on_frame(self, raw: str) -> None:
        """Every frame as text, on the receiving thread: track hello / disconnect only."""
        if '"hello"' not in raw and '"disconnect"' not in raw:
            return
        try:
            frame = json.loads(raw)
        except ValueError:
            return
        if not isinstance(frame, dict):
            return
        if frame.get("type") == "hello":
            self._set(state=ConnectionState.CONNECTED, num_connections=frame.get("num_connections"), hello=True)
        elif frame.get("type") == "disconnect":
            reason = str(frame.get("reason") or "")[:64]
            logger.info("Slack asked %s to reconnect: %s", self.name, reason)
            metrics.SOCKET_DISCONNECTS.labels(reason=reason or "unknown").inc()
            self._set(state=ConnectionState.RECONNECTING, reason=reason, reconnect=True)

    def _on_close(self, code: int, reason: str | None = None) -> None:
        logger.info("Socket Mode connection of %s closed (%s %s)", self.name, code, reason or "")
        if self._state != ConnectionState.STOPPED:
            self._set(state=ConnectionState.RECONNECTING, reconnect=True)

    def _on_message(self, client, message: dict, raw: str) -> None:
        """An envelope (or hello), on the client's worker pool: dispatch, then ack."""
        started = time.perf_counter()
        close_old_connections()
        try:
            outcome = envelopes.handle(message, handled_by=self.name)
        except Exception:  # the database is down: no ack, Slack redelivers later
            logger.exception("Socket Mode envelope %s could not be handled", message.get("envelope_id"))
            metrics.SOCKET_ENVELOPES.labels(kind=str(message.get("type"))[:32], outcome="error").inc()
            return
        finally:
            close_old_connections()
        if outcome is None:
            return
        kind = str(message.get("type"))[:32]
        result = "duplicate" if outcome.duplicate else ("acked" if outcome.ack else "redeliver")
        metrics.SOCKET_ENVELOPES.labels(kind=kind, outcome=result).inc()
        if outcome.ack is None:
            return
        try:
            client.send_socket_mode_response(outcome.ack)
        except Exception as exc:
            # The receipt holds the answer: Slack's redelivery will be acknowledged with it.
            logger.warning("Ack of envelope %s not sent (%s); Slack will redeliver", outcome.ack["envelope_id"], exc)
            return
        metrics.SOCKET_ACK_SECONDS.labels(kind=kind).observe(time.perf_counter() - started)
        if not outcome.duplicate:
            self._set(envelope=True)

    # -- state, as the status page sees it ------------------------------------------

    def _set(
        self, *, state=None, num_connections=None, reason=None, error=None, hello=False, reconnect=False, envelope=False
    ) -> None:
        with self._lock:
            if state is not None:
                self._state = state
            if num_connections is not None:
                self._num_connections = num_connections
            if reason is not None:
                self._last_reason = reason
            if error is not None:
                self._last_error = error
            if hello:
                self._connected_at = timezone.now()
                self._last_error = ""
            if reconnect:
                self._reconnects += 1
            if envelope:
                self._envelopes += 1
                return  # counted at the next heartbeat; no wake-up per envelope
            self._dirty = True
        metrics.SOCKET_CONNECTED.labels(process=self.name).set(1 if self._state == ConnectionState.CONNECTED else 0)
        self._changed.set()

    def state(self) -> str:
        return self._state

    def _write_state(self, force: bool = False) -> None:
        """One UPSERT of this process's row: on change, else every ``heartbeat_seconds``."""
        now = time.monotonic()
        if not force and not self._dirty and now - self._last_written < self.heartbeat_seconds:
            return
        with self._lock:
            self._dirty = False
            values = {
                "state": self._state,
                "num_connections": self._num_connections,
                "reconnects": self._reconnects,
                "envelopes": self._envelopes,
                "last_disconnect_reason": self._last_reason,
                "last_error": self._last_error,
                "started_at": self.started_at,
                "connected_at": self._connected_at,
                "heartbeat_at": timezone.now(),
            }
        try:
            SocketConnection.objects.update_or_create(name=self.name, defaults=values)
            self._last_written = now
        except Exception as exc:  # a database outage must not stop the connection
            logger.warning("Socket Mode state not recorded: %s", exc)
            close_old_connections()
