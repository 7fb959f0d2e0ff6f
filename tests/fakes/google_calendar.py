"""A local stand-in for the Google Calendar API v3 (events), served over real HTTP.

Enough of the real protocol for an incremental sync and a write-back:

- ``GET /calendar/v3/calendars/{calendarId}/events``: a full listing (``timeMin`` etc.
  allowed) or, with ``syncToken``, only the changes since that token — deletions included
  as ``{"id", "status": "cancelled"}`` stubs. Pages of ``maxResults`` (default 250) linked
  by ``nextPageToken``; only the last page carries ``nextSyncToken``. A token the server
  has expired answers 410 Gone (reason ``fullSyncRequired``), as Google does. Sending
  ``timeMin``/``timeMax``/``q``/``orderBy``/``updatedMin`` together with ``syncToken`` is a 400.
- ``POST …/events`` (insert), ``PATCH …/events/{id}``, ``DELETE …/events/{id}``.
- ``POST …/events/watch`` (opens a push channel: ``resourceId`` and ``expiration`` in ms) and
  ``POST /calendar/v3/channels/stop``; ``channels`` holds the open ones.
- ``GET /admin/directory/v1/customer/{customer}/resources/calendars``: the Workspace's room
  directory (``rooms``), paged like the events.
- ``POST /token``: Google's OAuth 2.0 token endpoint for a service account (the JWT bearer
  grant of RFC 7523): the assertion's RS256 signature is checked against the public key of
  ``service_account_key()`` and its audience must be Google's token URI; its claims (issuer,
  scopes, subject) are recorded in ``grants``.
- ``Authorization: Bearer <token>`` is required (401 otherwise): the fixed ``token`` or one
  the token endpoint issued (``expire_access_tokens()`` makes those invalid, as an hour does).

Tests change the calendar directly (``put_event``, ``delete_event``), expire tokens
(``expire_tokens``) and queue faults (``fail_next(500)``, ``fail_next(429, retry_after=7)``).
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

GOOGLE_TOKEN_AUDIENCE = "https://oauth2.googleapis.com/token"
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
        self.channels: dict[str, dict] = {}
        self.rooms: list[dict] = []
        self.issued: set[str] = set()
        self.grants: list[dict] = []
        self._public_pem: bytes | None = None
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

    def service_account_key(self, *, client_email: str = "haru-rooms@haru-erp.iam.gserviceaccount.com") -> dict:
        """A service account JSON key whose token_uri is this stand-in (a fresh RSA key)."""
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._public_pem = private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        pem = private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()
        return {
            "type": "service_account",
            "project_id": "haru-erp",
            "private_key_id": uuid.uuid4().hex,
            "private_key": pem,
            "client_email": client_email,
            "client_id": "1234567890",
            "token_uri": self.token_url,
        }

    def expire_access_tokens(self) -> None:
        with self.lock:
            self.issued.clear()

    def _token(self, form: dict) -> tuple[int, dict]:
        from google.auth import jwt

        if form.get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer" or self._public_pem is None:
            return 400, {"error": "unsupported_grant_type"}
        try:
            # Google expects its own token URI as the audience, wherever the request was sent.
            claims = jwt.decode(form.get("assertion", ""), certs=self._public_pem, audience=GOOGLE_TOKEN_AUDIENCE)
        except ValueError as exc:
            return 400, {"error": "invalid_grant", "error_description": str(exc)}
        self.grants.append(claims)
        token = f"ya29.sa-{uuid.uuid4().hex}"
        self.issued.add(token)
        return 200, {"access_token": token, "expires_in": 3599, "token_type": "Bearer"}

    def _directory(self, query: dict) -> dict:
        size = int(query.get("maxResults", 100))
        offset = int(query.get("pageToken", "0") or 0)
        body = {"kind": "admin#directory#resources#calendars#calendarResourcesList"}
        body["items"] = [dict(room) for room in self.rooms[offset : offset + size]]
        if offset + size < len(self.rooms):
            body["nextPageToken"] = str(offset + size)
        return body

    def _watch(self, calendar_id: str, body: dict) -> tuple[int, dict]:
        if body.get("type") != "web_hook" or not str(body.get("address", "")).startswith("https://"):
            return 400, _error(400, "WebHook callback must be HTTPS", "push.webhookUrlNotHttps")
        resource_id = uuid.uuid4().hex
        ttl = int((body.get("params") or {}).get("ttl") or 604800)
        expiration = str((int(time.time()) + ttl) * 1000)
        self.channels[body["id"]] = {**body, "calendar": calendar_id, "resourceId": resource_id}
        answer = {"kind": "api#channel", "id": body["id"], "resourceId": resource_id, "expiration": expiration}
        return 200, answer

    def _authorized(self, headers) -> bool:
        given = headers.get("Authorization") or ""
        return given == f"Bearer {self.token}" or given.removeprefix("Bearer ") in self.issued

    def handle(self, method: str, path: str, query: dict, body: dict, headers) -> tuple[int, dict, dict]:
        self.requests.append((method, path, query))
        if path == "/token" and method == "POST":
            status, answer = self._token(body)
            return status, answer, {}
        if not self._authorized(headers):
            return 401, _error(401, "Invalid Credentials", "authError"), {}
        with self.lock:
            if self.faults:
                status, extra = self.faults.pop(0)
                return status, _error(status, "stand-in fault", "backendError"), extra
            parts = [unquote(p) for p in path.strip("/").split("/")]
            if parts[:3] == ["admin", "directory", "v1"] and parts[-2:] == ["resources", "calendars"]:
                return 200, self._directory(query), {}
            if parts == ["calendar", "v3", "channels", "stop"] and method == "POST":
                if self.channels.pop(body.get("id", ""), None) is None:
                    return 404, _error(404, "Channel not found", "notFound"), {}
                return 204, {}, {}
            if parts[:3] == ["calendar", "v3", "calendars"] and parts[4:] == ["events", "watch"] and method == "POST":
                status, answer = self._watch(parts[3], body)
                return status, answer, {}
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
    def root_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def base_url(self) -> str:
        return f"{self.root_url}/calendar/v3"

    @property
    def directory_url(self) -> str:
        return f"{self.root_url}/admin/directory/v1"

    @property
    def token_url(self) -> str:
        return f"{self.root_url}/token"

    def __enter__(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self):
                split = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(split.query).items()}
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    if self.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
                        body = {k: v[-1] for k, v in parse_qs(raw.decode()).items()}  # the token endpoint
                    else:
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
