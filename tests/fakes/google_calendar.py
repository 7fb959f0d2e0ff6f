"""A local stand-in for the Google Calendar API v3 (events), served over real HTTP.

Enough of the real protocol for an incremental sync and a write-back:

- ``GET /calendar/v3/calendars/{calendarId}/events``: a full listing (``timeMin`` etc.
  allowed) or, with ``syncToken``, only the changes since that token — deletions included
  as ``{"id", "status": "cancelled"}`` stubs. Pages of ``maxResults`` (default 250) linked
  by ``nextPageToken``; only the last page carries ``nextSyncToken``. A token the server
  has expired answers 410 Gone (reason ``fullSyncRequired``), as Google does. Sending
  ``timeMin``/``timeMax``/``q``/``orderBy``/``updatedMin`` together with ``syncToken`` is a 400.
- ``POST …/events`` (insert), ``PATCH …/events/{id}``, ``DELETE …/events/{id}``.
- ``Authorization: Bearer <token>`` is required (401 otherwise).

Tests change the calendar directly (``put_event``, ``delete_event``), expire tokens
(``expire_tokens``) and queue faults (``fail_next(500)``, ``fail_next(429, retry_after=7)``).
"""

from __future__ import annotations

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

FORBIDDEN_WITH_SYNC_TOKEN = ("timeMin", "timeMax", "updatedMin", "q", "orderBy", "iCalUID")


class _Calendar:
    def __init__(self):
        self.events: dict[str, dict] = {}
        self.changed_at: dict[str, int] = {}


class FakeGoogleCalendar:
    def __init__(self, token: str = "ya29.test-token"):
        self.token = token
        self.lock = threading.Lock()
        self.calendars: dict[str, _Calendar] = {}
        self.version = 0
        self.tokens: dict[str, int] = {}
        self.faults: list[tuple[int, dict]] = []
        self.requests: list[tuple[str, str, dict]] = []
        self._server = None
        self._thread = None

    # --- test controls ---------------------------------------------------------------
    def _calendar(self, calendar_id: str) -> _Calendar:
        return self.calendars.setdefault(calendar_id, _Calendar())

    def _touch(self, calendar: _Calendar, event_id: str) -> None:
        self.version += 1
        calendar.changed_at[event_id] = self.version

    def put_event(self, calendar_id: str, event: dict) -> dict:
        """Create or replace an event as someone using Google Calendar would."""
        with self.lock:
            calendar = self._calendar(calendar_id)
            event = {"kind": "calendar#event", "status": "confirmed", "sequence": 0, **event}
            event.setdefault("id", uuid.uuid4().hex[:26])
            event["etag"] = f'"{self.version + 1}"'
            calendar.events[event["id"]] = event
            self._touch(calendar, event["id"])
            return dict(event)

    def delete_event(self, calendar_id: str, event_id: str) -> None:
        with self.lock:
            calendar = self._calendar(calendar_id)
            calendar.events[event_id] = {"id": event_id, "status": "cancelled"}
            self._touch(calendar, event_id)

    def expire_tokens(self) -> None:
        with self.lock:
            self.tokens.clear()

    def fail_next(self, status: int, *, retry_after: int | None = None) -> None:
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        self.faults.append((status, headers))

    def event(self, calendar_id: str, event_id: str) -> dict | None:
        return self._calendar(calendar_id).events.get(event_id)

    # --- the API ---------------------------------------------------------------------
    def _list(self, calendar_id: str, query: dict) -> tuple[int, dict]:
        calendar = self._calendar(calendar_id)
        sync_token = query.get("syncToken")
        if sync_token:
            bad = [name for name in FORBIDDEN_WITH_SYNC_TOKEN if name in query]
            if bad:
                return 400, _error(400, f"{bad[0]} cannot be used with syncToken", "invalid")
            if sync_token not in self.tokens:
                return 410, _error(410, "Sync token is no longer valid, a full sync is required.", "fullSyncRequired")
            since = self.tokens[sync_token]
            ids = [i for i, v in sorted(calendar.changed_at.items(), key=lambda kv: kv[1]) if v > since]
        else:
            ids = [i for i, v in sorted(calendar.changed_at.items(), key=lambda kv: kv[1])]
            ids = [i for i in ids if calendar.events[i].get("status") != "cancelled"]
        size = min(int(query.get("maxResults", 250)), 2500)
        offset = int(query.get("pageToken", "0") or 0)
        page = ids[offset : offset + size]
        body = {"kind": "calendar#events", "items": [dict(calendar.events[i]) for i in page]}
        if offset + size < len(ids):
            body["nextPageToken"] = str(offset + size)
        else:
            token = uuid.uuid4().hex
            self.tokens[token] = self.version
            body["nextSyncToken"] = token
        return 200, body

    def handle(self, method: str, path: str, query: dict, body: dict, headers) -> tuple[int, dict, dict]:
        self.requests.append((method, path, query))
        if headers.get("Authorization") != f"Bearer {self.token}":
            return 401, _error(401, "Invalid Credentials", "authError"), {}
        with self.lock:
            if self.faults:
                status, extra = self.faults.pop(0)
                return status, _error(status, "stand-in fault", "backendError"), extra
            parts = [unquote(p) for p in path.strip("/").split("/")]
            if parts[:3] != ["calendar", "v3", "calendars"] or len(parts) < 5 or parts[4] != "events":
                return 404, _error(404, "Not Found", "notFound"), {}
            calendar_id = parts[3]
            calendar = self._calendar(calendar_id)
            event_id = parts[5] if len(parts) > 5 else None
            if method == "GET" and event_id is None:
                status, answer = self._list(calendar_id, query)
                return status, answer, {}
            if method == "POST" and event_id is None:
                if not body.get("start") or not body.get("end"):
                    return 400, _error(400, "Missing end time.", "required"), {}
                event = {"kind": "calendar#event", "status": "confirmed", "sequence": 0, **body}
                event["id"] = uuid.uuid4().hex[:26]
                event["etag"] = f'"{self.version + 1}"'
                calendar.events[event["id"]] = event
                self._touch(calendar, event["id"])
                return 200, dict(event), {}
            if event_id is None or event_id not in calendar.events:
                return 404, _error(404, "Not Found", "notFound"), {}
            if method == "PATCH":
                event = {**calendar.events[event_id], **body}
                event["sequence"] = int(event.get("sequence", 0)) + 1
                event["etag"] = f'"{self.version + 1}"'
                calendar.events[event_id] = event
                self._touch(calendar, event_id)
                return 200, dict(event), {}
            if method == "DELETE":
                calendar.events[event_id] = {"id": event_id, "status": "cancelled"}
                self._touch(calendar, event_id)
                return 204, {}, {}
        return 405, _error(405, "Method not allowed", "badRequest"), {}

    # --- serving ---------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/calendar/v3"

    def __enter__(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self):
                split = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(split.query).items()}
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw) if raw else {}
                except ValueError:
                    body = None
                if body is None:
                    status, answer, extra = 400, _error(400, "Parse Error", "parseError"), {}
                else:
                    status, answer, extra = fake.handle(self.command, split.path, query, body, self.headers)
                payload = json.dumps(answer).encode() if status != 204 else b""
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=UTF-8")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in extra.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PATCH = do_DELETE = _serve

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()


def _error(code: int, message: str, reason: str) -> dict:
    return {
        "error": {
            "code": code,
            "message": message,
            "errors": [{"domain": "global", "reason": reason, "message": message}],
        }
    }
