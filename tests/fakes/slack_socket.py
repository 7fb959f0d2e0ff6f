"""A local stand-in for Slack's Socket Mode, over loopback, speaking the real protocol.

Two listeners, as Slack has: an HTTP ``apps.connections.open`` (app-level token in the
``Authorization`` header, a token in the body is refused) answering a one-time
``ws://127.0.0.1:<port>/link/?ticket=…`` URL, and the WebSocket that URL opens. A
connection gets ``hello`` (with ``num_connections``), then whatever the test sends:
envelopes ``{type, envelope_id, payload, accepts_response_payload, retry_attempt,
retry_reason}``, ``disconnect`` frames, malformed frames, or an abrupt drop. Acks
``{"envelope_id", "payload"?}`` are recorded with the connection they came on; an ack
carrying a payload the envelope does not accept, or one Slack would refuse, is kept in
``problems`` so tests can fail on it.

slack_sdk's own SocketModeClient is what the product uses against it (no mocks).
"""

from __future__ import annotations

import itertools
import json
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from websockets.datastructures import Headers
from websockets.http11 import Response
from websockets.sync.server import serve

from .slack_api.contract import ack_problems

APP_TOKEN = "xapp-1-A0FAKEAPP-1-0123456789-fakesocketmodetoken"
APP_ID = "A0FAKEAPP"


@dataclass
class Envelope:
    envelope_id: str
    type: str
    payload: dict
    accepts_response_payload: bool
    retry_attempt: int = 0

    def frame(self) -> dict:
        frame = {
            "envelope_id": self.envelope_id,
            "payload": self.payload,
            "type": self.type,
            "accepts_response_payload": self.accepts_response_payload,
        }
        if self.type == "events_api":
            frame["retry_attempt"] = self.retry_attempt
            frame["retry_reason"] = "timeout" if self.retry_attempt else ""
        return frame


@dataclass
class Ack:
    envelope_id: str
    payload: dict | None
    connection: int
    at: float


@dataclass
class _Link:
    id: int
    ws: object
    opened_at: float = field(default_factory=time.monotonic)


class FakeSocketMode:
    """Start with ``start()``; point ``SLACK_SOCKET_API_BASE_URL`` at ``base_url``."""

    def __init__(self, app_token: str = APP_TOKEN):
        self.app_token = app_token
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self._ids = itertools.count(1)
        self._tickets: set[str] = set()
        self.links: dict[int, _Link] = {}
        self.envelopes: dict[str, Envelope] = {}
        self.acks: list[Ack] = []
        self._acks_by_id: dict[str, list[Ack]] = {}
        self.problems: list[str] = []
        self.opens = 0
        self.open_failures = 0  # the next N apps.connections.open calls fail like an outage
        self.handshakes = 0
        self._rr = itertools.count()

    # -- lifecycle ---------------------------------------------------------------------

    def start(self) -> FakeSocketMode:
        self._ws = serve(
            self._session, "127.0.0.1", 0, process_request=self._check_ticket, ping_interval=None, close_timeout=1
        )
        self.ws_port = self._ws.socket.getsockname()[1]
        threading.Thread(target=self._ws.serve_forever, daemon=True, name="fake-socket-ws").start()
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), _ApiHandler)
        self._http.fake = self
        self._http.daemon_threads = True
        threading.Thread(target=self._http.serve_forever, daemon=True, name="fake-socket-api").start()
        return self

    def stop(self) -> None:
        self.drop_all()
        self._ws.shutdown()
        self._http.shutdown()
        self._http.server_close()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._http.server_address[1]}/api/"

    # -- apps.connections.open ------------------------------------------------------------

    def open_connection(self, authorization: str, body: bytes) -> dict | None:
        """The Web API answer, or None for an HTTP 503 (an unreachable Slack)."""
        scheme, _, token = authorization.partition(" ")
        if "token" in parse_qs(body.decode("utf-8", "replace")):
            return {"ok": False, "error": "invalid_auth"}  # the app token only works in the header
        if scheme != "Bearer" or token != self.app_token:
            return {"ok": False, "error": "invalid_auth" if token.startswith("xapp-") else "not_allowed_token_type"}
        with self._lock:
            self.opens += 1
            if self.open_failures:
                self.open_failures -= 1
                return None
            ticket = uuid.uuid4().hex
            self._tickets.add(ticket)
        return {"ok": True, "url": f"ws://127.0.0.1:{self.ws_port}/link/?ticket={ticket}&app_id={APP_ID}"}

    # -- the WebSocket --------------------------------------------------------------------

    def _check_ticket(self, connection, request):
        ticket = parse_qs(urlsplit(request.path).query).get("ticket", [""])[0]
        with self._lock:
            if ticket not in self._tickets:
                return Response(401, "Unauthorized", Headers(), b"invalid ticket\n")
            self._tickets.discard(ticket)  # one-time URL, as Slack's
        return None

    def _session(self, ws) -> None:
        with self._cond:
            link = _Link(next(self._ids), ws)
            self.links[link.id] = link
            self.handshakes += 1
            count = len(self.links)
            self._cond.notify_all()
        hello = {
            "type": "hello",
            "num_connections": count,
            "debug_info": {"host": "applink-fake-1", "build_number": 1, "approximate_connection_time": 18060},
            "connection_info": {"app_id": APP_ID},
        }
        try:
            ws.send(json.dumps(hello))
            for text in ws:
                self._received(link, text)
        except Exception:
            pass  # dropped: the client's problem to notice, as with Slack
        finally:
            with self._cond:
                self.links.pop(link.id, None)
                self._cond.notify_all()

    def _received(self, link: _Link, text) -> None:
        try:
            frame = json.loads(text)
        except ValueError:
            self.problems.append(f"non-JSON frame from the app: {text!r:.80}")
            return
        envelope = self.envelopes.get(frame.get("envelope_id", "")) if isinstance(frame, dict) else None
        if envelope is None:
            self.problems.append(f"ack for an unknown envelope: {frame!r:.120}")
            return
        payload = frame.get("payload")
        if payload is not None and not envelope.accepts_response_payload:
            self.problems.append(f"{envelope.envelope_id}: payload in the ack of a {envelope.type} envelope")
        self.problems.extend(f"{envelope.envelope_id}: {p}" for p in ack_problems(payload))
        ack = Ack(envelope.envelope_id, payload, link.id, time.monotonic())
        with self._cond:
            self.acks.append(ack)
            self._acks_by_id.setdefault(ack.envelope_id, []).append(ack)
            self._cond.notify_all()

    # -- what a test does ----------------------------------------------------------------

    def wait_links(self, count: int = 1, timeout: float = 10, *, newer_than: int = 0) -> list[int]:
        """Block until ``count`` connections (with ids above ``newer_than``) are open."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                ids = sorted(i for i in self.links if i > newer_than)
                if len(ids) >= count:
                    return ids
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"{len(ids)} of {count} Socket Mode connections after {timeout} s")
                self._cond.wait(left)

    def _link(self, link_id: int | None) -> _Link:
        with self._lock:
            if link_id is not None:
                return self.links[link_id]
            live = sorted(self.links)
            if not live:
                raise RuntimeError("no Socket Mode connection is open")
            return self.links[live[next(self._rr) % len(live)]]

    def send(
        self,
        kind: str,
        payload: dict,
        *,
        accepts_response_payload: bool | None = None,
        envelope_id: str | None = None,
        link: int | None = None,
    ) -> str:
        """Send an envelope (slash_commands, interactive, events_api); returns its id."""
        if accepts_response_payload is None:
            accepts_response_payload = kind == "slash_commands" or (
                kind == "interactive" and payload.get("type") in ("view_submission", "block_suggestion")
            )
        envelope = Envelope(envelope_id or str(uuid.uuid4()), kind, payload, accepts_response_payload)
        self.envelopes[envelope.envelope_id] = envelope
        self._link(link).ws.send(json.dumps(envelope.frame()))
        return envelope.envelope_id

    def redeliver(self, envelope_id: str, *, link: int | None = None) -> None:
        """Send an envelope again, as Slack does when its ack did not arrive."""
        envelope = self.envelopes[envelope_id]
        envelope.retry_attempt += 1
        self._link(link).ws.send(json.dumps(envelope.frame()))

    def send_raw(self, text: str | bytes, *, link: int | None = None) -> None:
        """Any frame at all; one shaped like an envelope may be acked like one."""
        try:
            frame = json.loads(text)
        except ValueError:
            frame = None
        if isinstance(frame, dict) and isinstance(frame.get("envelope_id"), str):
            self.envelopes[frame["envelope_id"]] = Envelope(
                frame["envelope_id"], str(frame.get("type")), frame.get("payload"), False
            )
        self._link(link).ws.send(text)

    def wait_ack(self, envelope_id: str, timeout: float = 10) -> Ack:
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                if envelope_id in self._acks_by_id:
                    return self._acks_by_id[envelope_id][0]
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no ack for envelope {envelope_id} after {timeout} s")
                self._cond.wait(left)

    def acks_for(self, envelope_id: str) -> list[Ack]:
        with self._lock:
            return list(self._acks_by_id.get(envelope_id, ()))

    def disconnect(self, reason: str = "refresh_requested", *, link: int | None = None, close_after: float = 1) -> int:
        """Slack's ``disconnect`` frame, then (after ``close_after`` s) it closes the link."""
        target = self._link(link)
        frame = {"type": "disconnect", "reason": reason, "debug_info": {"host": "applink-fake-1"}}
        target.ws.send(json.dumps(frame))
        if close_after is not None:
            threading.Timer(close_after, lambda: _quietly(target.ws.close)).start()
        return target.id

    def drop(self, *, link: int | None = None) -> int:
        """The network goes away under the link: no close frame, the TCP connection just ends."""
        target = self._link(link)
        _quietly(lambda: target.ws.socket.shutdown(socket.SHUT_RDWR))
        _quietly(target.ws.socket.close)
        return target.id

    def drop_all(self) -> None:
        with self._lock:
            ids = list(self.links)
        for link_id in ids:
            try:
                self.drop(link=link_id)
            except KeyError:
                pass


def _quietly(fn) -> None:
    try:
        fn()
    except Exception:
        pass


class _ApiHandler(BaseHTTPRequestHandler):
    server_version = "FakeSlackSocket/1.0"

    def log_message(self, format, *args):  # quiet in tests
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if urlsplit(self.path).path != "/api/apps.connections.open":
            self._reply(200, {"ok": False, "error": "unknown_method"})
            return
        answer = self.server.fake.open_connection(self.headers.get("Authorization", ""), body)
        if answer is None:
            self._reply(503, None)
        else:
            self._reply(200, answer)

    def _reply(self, status: int, body: dict | None) -> None:
        data = json.dumps(body).encode() if body is not None else b"<html>503 Service Unavailable</html>"
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8" if body is not None else "text/html")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
