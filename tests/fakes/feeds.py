"""A local feed server over real HTTP: feeds with ETag / Last-Modified (answering 304 to a
matching conditional GET), permanent redirects, 410, slow answers, HTML and broken XML.

    with FeedServer() as server:
        server.route("/nginx.rss", body=NGINX_RSS, etag='"v1"')
        server.route("/old.rss", status=301, location="/nginx.rss")
        server.url("/nginx.rss")
"""

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/rss+xml; charset=utf-8"
    etag: str = ""
    last_modified: str = ""
    location: str = ""
    delay: float = 0.0


@dataclass
class Hit:
    path: str
    headers: dict
    status: int


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        fake = self.server.fake
        route = fake.routes.get(self.path)
        if route is None:
            status, body, headers = 404, b"not found", {"Content-Type": "text/plain"}
        else:
            if route.delay:
                time.sleep(route.delay)
            status, body, headers = route.status, route.body, {"Content-Type": route.content_type}
            if route.location:
                headers["Location"] = fake.url(route.location)
            if route.etag:
                headers["ETag"] = route.etag
            if route.last_modified:
                headers["Last-Modified"] = route.last_modified
            unchanged = (route.etag and self.headers.get("If-None-Match") == route.etag) or (
                route.last_modified and not route.etag and self.headers.get("If-Modified-Since") == route.last_modified
            )
            if status == 200 and unchanged:
                status, body = 304, b""
        with fake.lock:
            fake.hits.append(Hit(self.path, dict(self.headers), status))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

    def log_message(self, format, *args):
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: "FeedServer"


@dataclass
class FeedServer:
    routes: dict = field(default_factory=dict)
    hits: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __enter__(self):
        self.httpd = _Server(("127.0.0.1", 0), _Handler)
        self.httpd.fake = self
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def route(self, path: str, **kwargs) -> Route:
        route = Route(**kwargs)
        if isinstance(route.body, str):
            route.body = route.body.encode()
        self.routes[path] = route
        return route

    def hits_to(self, path: str) -> list[Hit]:
        with self.lock:
            return [hit for hit in self.hits if hit.path == path]
