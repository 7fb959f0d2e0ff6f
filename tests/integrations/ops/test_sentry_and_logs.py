"""Sentry reports and JSON log lines carry no personal data (same masking as plain logs)."""

import gzip
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from integrations.ops.logs import MaskingJsonFormatter

PHONE = "010-1234-5678"
EMAIL = "kim.minjun@haru.example"


class _SentryStandIn(BaseHTTPRequestHandler):
    """Sentry's envelope endpoint (POST /api/<project>/envelope/): keeps what arrives."""

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        elif self.headers.get("Content-Encoding") == "br":
            import brotli

            body = brotli.decompress(body)
        self.server.received.append(body.decode("utf-8", "replace"))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SentryStandIn)
    server.received = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()
    import sentry_sdk

    sentry_sdk.init(dsn=None)  # switch reporting off again for the rest of the suite


def test_sentry_event_is_masked(sentry_server):
    import sentry_sdk

    from integrations.ops.sentry import init

    init(f"http://publickey@127.0.0.1:{sentry_server.server_address[1]}/42", environment="test")
    customer_phone = PHONE  # a local variable: Sentry sends frame locals
    try:
        raise ValueError(f"could not reach {customer_phone} / {EMAIL}")
    except ValueError:
        sentry_sdk.capture_exception()
    sentry_sdk.add_breadcrumb(message=f"called {PHONE}")
    sentry_sdk.capture_message(f"again {EMAIL}")
    sentry_sdk.flush(timeout=5)
    sent = "\n".join(sentry_server.received)
    assert "could not reach" in sent and "again" in sent
    assert PHONE not in sent and EMAIL not in sent and "01012345678" not in sent


def test_json_log_lines_are_masked():
    formatter = MaskingJsonFormatter(
        "%(asctime)s %(levelname)s %(name)s %(message)s", rename_fields={"levelname": "level"}
    )
    record = logging.LogRecord("erp.test", logging.WARNING, __file__, 1, "SMS to %s failed", (PHONE,), None)
    line = json.loads(formatter.format(record))
    assert line["level"] == "WARNING" and line["name"] == "erp.test"
    assert "SMS to" in line["message"] and PHONE not in line["message"]
