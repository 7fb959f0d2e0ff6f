"""L3: request lines of runserver and gunicorn, and Django's own messages, are masked."""

import time

import pytest

from .embedded import embedded_server

PII_PATH = "/nope/010-1234-5678/?rrn=900101-1234567&mail=hong.gildong%40naver.com&tel=02-345-6789"
SECRETS = ("1234-5678", "1234567", "hong.gildong", "345-6789")


@pytest.mark.parametrize("server", ["runserver", "gunicorn"])
def test_request_lines_are_masked(tmp_path, server):
    with embedded_server(tmp_path / "var", server=server) as running:
        status, _, _ = running.get(PII_PATH)
        assert status == 404
        deadline = time.monotonic() + 5
        while "/nope/" not in running.log() and time.monotonic() < deadline:
            time.sleep(0.1)
        log = running.log()
    lines = [line for line in log.splitlines() if "/nope/" in line]
    assert lines, log[-2000:]
    for line in lines:
        for secret in SECRETS:
            assert secret not in line, line
