"""The plain HTTP both adapters use (urllib: no extra dependency), with errors that say
whether a retry can help."""

import json
import urllib.error
import urllib.request
from dataclasses import dataclass


class CalendarHTTPError(Exception):
    """An answer or a failure; ``retryable`` for 429, 5xx and network trouble."""

    def __init__(self, message: str, *, status: int | None = None, retry_after: float | None = None):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after

    @property
    def retryable(self) -> bool:
        return self.status is None or self.status == 429 or self.status >= 500


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body or b"{}")


def call(
    method: str, url: str, *, headers: dict | None = None, body: dict | None = None, timeout: float = 15
) -> Answer:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Answer(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return Answer(304, dict(exc.headers or {}), b"")
        retry_after = exc.headers.get("Retry-After") if exc.headers else None
        detail = exc.read()[:300].decode("utf-8", "replace")
        raise CalendarHTTPError(
            f"HTTP {exc.code}: {detail}",
            status=exc.code,
            retry_after=float(retry_after) if retry_after and retry_after.isdigit() else None,
        ) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise CalendarHTTPError(f"network error: {exc}") from exc
