"""The HTTP server and request handler, and the public ``FakeSlackAPI`` facade."""

from __future__ import annotations

import copy
import random
import threading
import time
import traceback
import uuid
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self
from urllib.parse import urlsplit

from .contract import RESPONSE_URL_PREFIX, check_arguments, check_method, check_response_message
from .faults import (
    FAULT_DELAY,
    FAULT_ERROR,
    FAULT_RATELIMITED,
    FAULT_SERVER_ERROR,
    Fault,
    _ChannelRateLimiter,
    _FaultPlan,
    _FaultProfile,
    _method_set,
)
from .identity import DEFAULT_IDENTITY, DEFAULT_TOKEN, Identity
from .parsing import Rejected, Reply, SlackError, _channel_of, error_reply, json_reply, parse_args
from .records import Call, Rejection
from .workspace import _Workspace

# The calls list records file downloads (GET files-pri/…) under this name.
DOWNLOAD = "files.download"

# --------------------------------------------------------------------------
# HTTP plumbing
# --------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], fake: FakeSlackAPI):
        self.fake = fake
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "FakeSlack/1.0"

    def do_POST(self) -> None:
        self._send(self._reply())

    do_GET = do_POST  # Slack accepts every Web API method over GET as well

    def _reply(self) -> Reply:
        url = urlsplit(self.path)
        if url.path.startswith("/files-pri/"):
            headers = {key.lower(): value for key, value in self.headers.items()}
            return self.server.fake.download(url.path.removeprefix("/"), headers)
        if not url.path.startswith("/api/"):
            return Reply(404, b"Not Found", {"Content-Type": "text/plain"})
        try:
            args = parse_args(url.query, self._read_body(), self.headers.get("Content-Type", ""))
            headers = {key.lower(): value for key, value in self.headers.items()}
            return self.server.fake.respond(url.path.removeprefix("/api/"), args, headers)
        except SlackError as exc:
            return json_reply(exc.payload())
        except Exception as exc:
            traceback.print_exc()
            return json_reply(
                {"ok": False, "error": "fake_internal_error", "detail": repr(exc)},
                status=500,
            )

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, reply: Reply) -> None:
        try:
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, e.g. its timeout fired during a delay fault

    def log_message(self, format: str, *args: object) -> None:
        if not self.server.fake.quiet:
            super().log_message(format, *args)


# --------------------------------------------------------------------------
# Public facade
# --------------------------------------------------------------------------


class FakeSlackAPI:
    """Slack Web API stand-in on 127.0.0.1, served from a daemon thread.

    All state is guarded by one lock because slack_sdk users (and the
    ThreadingHTTPServer) call in from many threads at once.
    """

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        identity: Identity = DEFAULT_IDENTITY,
        quiet: bool = True,
    ):
        self.token = token
        self.identity = identity
        self.quiet = quiet
        self._address = (host, port)
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._calls: list[Call] = []
        self._rejections: list[Rejection] = []
        self._faults = _FaultPlan()
        self._workspace = _Workspace(identity)

    # -- lifecycle -------------------------------------------------------

    def start(self) -> Self:
        if self._server is not None:
            raise RuntimeError("FakeSlackAPI is already running")
        self._stopping.clear()
        self._server = _Server(self._address, self)
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-slack-api", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._stopping.set()  # wakes handlers sleeping in a delay fault
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
        self._server = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("FakeSlackAPI is not running")
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        """What to pass as ``WebClient(base_url=...)``."""
        return f"http://{self._address[0]}:{self.port}/api/"

    def new_response_url(self) -> str:
        """An interaction response_url served here; posts to it are calls named ``response/<id>``."""
        return f"{self.base_url}{RESPONSE_URL_PREFIX}{uuid.uuid4().hex[:12]}"

    # -- observation -----------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        """A snapshot of every call received so far, in arrival order."""
        with self._lock:
            return list(self._calls)

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    @property
    def rejections(self) -> list[Rejection]:
        """Calls refused as malformed (unknown method, missing argument, invalid blocks …)."""
        with self._lock:
            return list(self._rejections)

    def take_rejections(self) -> list[Rejection]:
        """The rejections so far, forgotten once taken: for tests that provoke one on purpose."""
        with self._lock:
            taken, self._rejections = self._rejections, []
            return taken

    @property
    def messages(self) -> dict[str, list[dict]]:
        """Snapshot of posted messages per channel id (DMs under their "D..." id)."""
        with self._lock:
            return copy.deepcopy(self._workspace.messages)

    @property
    def channels(self) -> dict[str, dict]:
        """Snapshot of known channels, each with its ``members`` list."""
        with self._lock:
            channels, members = self._workspace.channels, self._workspace.members
            return {cid: {**copy.deepcopy(record), "members": sorted(members[cid])} for cid, record in channels.items()}

    @property
    def pins(self) -> dict[str, list[str]]:
        with self._lock:
            return copy.deepcopy(self._workspace.pins)

    @property
    def views(self) -> dict[str, dict]:
        with self._lock:
            return copy.deepcopy(self._workspace.views)

    @property
    def users_by_email(self) -> dict[str, dict]:
        """The live user registry (lower-cased email -> Slack user object); prefer ``add_user``."""
        return self._workspace.users_by_email

    def reset(self) -> None:
        """Forget calls, rejections, workspace state (messages, channels, users...) and all faults."""
        with self._lock:
            self._calls.clear()
            self._rejections = []
            self._faults = _FaultPlan()
            self._workspace = _Workspace(self.identity)

    # -- registries ------------------------------------------------------

    def add_file(self, name: str, content: bytes, mimetype: str = "application/octet-stream", *, size=None) -> dict:
        """A file in the workspace (as if uploaded in a message); returns its Slack file object,
        whose url_private_download points at this server. ``size`` may claim another size."""
        with self._lock:
            root = f"http://{self._address[0]}:{self.port}/"
            return self._workspace.add_file(name, content, mimetype, root, size=size)

    def delete_file(self, file_id: str) -> None:
        """Delete a file after it was shared: files.info answers file_deleted, downloads 404."""
        with self._lock:
            self._workspace.delete_file(file_id)

    def add_user(
        self,
        email: str,
        user_id: str,
        *,
        name: str | None = None,
        real_name: str | None = None,
        is_bot: bool = False,
        deleted: bool = False,
        is_restricted: bool = False,
        is_ultra_restricted: bool = False,
    ) -> dict:
        """Register a user for ``users.lookupByEmail`` / ``users.info``; returns the Slack user object."""
        flags = {
            "is_bot": is_bot,
            "deleted": deleted,
            "is_restricted": is_restricted,
            "is_ultra_restricted": is_ultra_restricted,
        }
        with self._lock:
            return self._workspace.add_user(email, user_id, name, real_name, flags)

    def set_channel(
        self,
        channel_id: str,
        *,
        name: str | None = None,
        is_private: bool = False,
        is_ext_shared: bool = False,
        is_shared: bool = False,
        members: Iterable[str] | None = None,
    ) -> dict:
        """Declare a channel's kind for ``conversations.info`` / ``conversations.members``
        (channels never declared are public, with no members but the ones invited)."""
        flags = {"is_private": is_private, "is_ext_shared": is_ext_shared, "is_shared": is_shared}
        if name:
            flags.update(name=name, name_normalized=name)
        with self._lock:
            return copy.deepcopy(
                self._workspace.configure_channel(channel_id, flags, list(members) if members is not None else None)
            )

    def add_usergroup(
        self,
        handle: str,
        users: Iterable[str] = (),
        *,
        name: str | None = None,
        usergroup_id: str | None = None,
    ) -> dict:
        """Register a user group for ``usergroups.list``."""
        with self._lock:
            group_id = usergroup_id or self._workspace.new_id("S")
            return self._workspace.add_usergroup(handle, list(users), name or handle, group_id)

    # -- fault injection -------------------------------------------------

    def fail_next(self, method: str, error: str = "channel_not_found", times: int = 1, channel: str | None = None):
        """Answer the next ``times`` matching calls with ``{"ok": false, "error": error}`` (HTTP 200)."""
        self._script(method, Fault(FAULT_ERROR, error=error), times, channel)

    def rate_limit_next(self, method: str, retry_after: int = 1, times: int = 1, channel: str | None = None) -> None:
        """Answer with HTTP 429, a ``Retry-After`` header and ``error: ratelimited``."""
        self._script(method, Fault(FAULT_RATELIMITED, retry_after=retry_after), times, channel)

    def server_error_next(self, method: str, status: int = 500, times: int = 1, channel: str | None = None) -> None:
        """Answer with an HTML 5xx page, as Slack's edge does during incidents."""
        self._script(method, Fault(FAULT_SERVER_ERROR, status=status), times, channel)

    def delay_next(self, method: str, seconds: float, times: int = 1, channel: str | None = None) -> None:
        """Sleep, then answer normally, to provoke client-side timeouts.

        As with real Slack, the call still takes effect after the client gave
        up (a timed-out postMessage is posted), so retry duplicates show up.
        """
        self._script(method, Fault(FAULT_DELAY, seconds=seconds), times, channel)

    def set_fault_profile(
        self,
        rate_5xx: float = 0.0,
        rate_429: float = 0.0,
        rate_timeout: float = 0.0,
        *,
        retry_after_range: tuple[int, int] = (1, 5),
        timeout_seconds: float = 5.0,
        seed: int | None = None,
        methods: Iterable[str] | None = None,
    ) -> None:
        """Fault calls at random (seedable, for reproducible benchmarks); all rates 0 disables it."""
        if min(rate_5xx, rate_429, rate_timeout) < 0 or rate_5xx + rate_429 + rate_timeout > 1:
            raise ValueError("fault rates must be >= 0 and sum to at most 1")
        rates = (rate_5xx, rate_429, rate_timeout)
        rng = random.Random(seed)
        profile = _FaultProfile(*rates, retry_after_range, timeout_seconds, rng, _method_set(methods))
        with self._lock:
            self._faults.profile = profile if any(rates) else None

    def enforce_rate_limit(
        self,
        per_channel_per_second: float | None = 1.0,
        *,
        burst: float = 1,
        methods: Iterable[str] | None = None,
    ) -> None:
        """Answer 429 when one channel is called faster than allowed; None disables it.

        Applies to every call naming a ``channel`` unless ``methods`` narrows it;
        ``burst`` calls may arrive back to back before the per-second rate bites.
        """
        limiter = None
        if per_channel_per_second is not None:
            limiter = _ChannelRateLimiter(per_channel_per_second, max(1.0, burst), _method_set(methods))
        with self._lock:
            self._faults.limiter = limiter

    def clear_faults(self) -> None:
        with self._lock:
            self._faults = _FaultPlan()

    def _script(self, method: str, fault: Fault, times: int, channel: str | None) -> None:
        with self._lock:
            self._faults.script(method, fault, times, channel)

    # -- request handling ------------------------------------------------

    def respond(self, method: str, args: dict, headers: dict) -> Reply:
        """Answer one API call: record it, apply any fault, check it as Slack would, then dispatch."""
        with self._lock:
            fault = self._faults.decide(method, _channel_of(args), time.monotonic())
            self._calls.append(Call(method, copy.deepcopy(args), headers, time.time(), fault and fault.kind))
            workspace = self._workspace  # a reset() during a delay must not receive this late call
        faulted = fault.reply() if fault else None
        if faulted is not None:
            return faulted
        if fault is not None:  # a delay: sleep outside the lock; stop() cuts it short
            self._stopping.wait(fault.seconds)
        with self._lock:
            try:
                if method.startswith(RESPONSE_URL_PREFIX):
                    return self._answer_response_url(workspace, method, args)
                check_method(method)  # before authentication, as Slack does
                if not self._authorized(headers, args):
                    return error_reply("invalid_auth")
                check_arguments(method, args)
                return json_reply(workspace.answer(method, args))
            except Rejected as exc:
                self._reject(workspace, method, args, exc)
                payload = exc.payload()
                if exc.error == "unknown_method":
                    payload["req_method"] = method
                return json_reply(payload)
            except SlackError as exc:
                return json_reply(exc.payload())

    def download(self, path: str, headers: dict) -> Reply:
        """A file's bytes, as files.slack.com serves them: only with the bot token in an
        ``Authorization: Bearer`` header (a ``token`` query argument no longer works). Without
        it Slack answers 200 with its HTML sign-in page, not an error, so a client that does
        not check the type would store a web page as the file."""
        file_id = path.split("/")[1].rsplit("-", 1)[-1] if path.count("/") >= 1 else ""
        with self._lock:
            # Scripted faults work here too; ``channel=<file id>`` aims one at one file.
            fault = self._faults.decide(DOWNLOAD, file_id, time.monotonic())
            args = {"path": path, "file": file_id}
            self._calls.append(Call(DOWNLOAD, args, headers, time.time(), fault and fault.kind))
            content = self._workspace.file_download(path)
        faulted = fault.reply() if fault else None
        if faulted is not None:
            return faulted
        scheme, _, credentials = headers.get("authorization", "").partition(" ")
        if scheme != "Bearer" or credentials != self.token:
            page = b"<!DOCTYPE html><html><head><title>Slack</title></head><body>Sign in</body></html>"
            return Reply(200, page, {"Content-Type": "text/html; charset=utf-8"})
        if content is None:
            return Reply(404, b"Not Found", {"Content-Type": "text/plain"})
        return Reply(200, content, {"Content-Type": "application/octet-stream"})

    def _answer_response_url(self, workspace: _Workspace, method: str, args: dict) -> Reply:
        """Slack's hooks accept a message without a token; a malformed one gets a 400."""
        try:
            check_response_message(args)
        except Rejected as exc:
            self._reject(workspace, method, args, exc)
            return json_reply(exc.payload(), status=400)
        return json_reply({"ok": True})

    def _reject(self, workspace: _Workspace, method: str, args: dict, exc: Rejected) -> None:
        if workspace is self._workspace:  # a reset() during a delay must not receive this late call
            self._rejections.append(Rejection(method, exc.error, exc.messages, copy.deepcopy(args)))

    def _authorized(self, headers: dict, args: dict) -> bool:
        """slack_sdk sends ``Authorization: Bearer``; Slack also accepts a ``token`` argument."""
        scheme, _, credentials = headers.get("authorization", "").partition(" ")
        token = credentials if scheme == "Bearer" else args.get("token")
        return token == self.token
