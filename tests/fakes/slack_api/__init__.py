"""A real HTTP stand-in for Slack's Web API, for tests and manual runs.

Why a server and not mocks: the code under test must go through the genuine
``slack_sdk`` client (request encoding, error mapping, retry handlers,
timeouts), so tests point ``WebClient(token=..., base_url=fake.base_url)`` at
this server instead of patching ``slack_sdk`` methods.  The server keeps just
enough workspace state (messages, channels, users, views, pins) to answer the
way Slack does, records every request, and can inject the failures Slack
produces in real life: API errors, HTTP 429 with ``Retry-After``, 5xx pages
and slow answers.

It is strict where Slack is: unknown methods get ``unknown_method``, missing
arguments their documented error, and blocks or views breaking Block Kit's
limits ``invalid_blocks`` / ``invalid_arguments`` (contract.py, blockkit.py).
Such refusals are kept in ``rejections`` so a test fixture can fail any test
in which the product sent Slack something it would refuse.

Standalone use (prints the base URL, serves until killed)::

    python -m tests.fakes.slack_api --port 8765
"""

from __future__ import annotations

from .cli import main
from .faults import FAULT_DELAY, FAULT_ERROR, FAULT_RATELIMITED, FAULT_SERVER_ERROR, Fault
from .identity import DEFAULT_IDENTITY, DEFAULT_TOKEN, Identity
from .parsing import Rejected, Reply, SlackError, error_reply, html_reply, json_reply, parse_args
from .records import Call, Rejection
from .server import FakeSlackAPI

__all__ = [
    "DEFAULT_IDENTITY",
    "DEFAULT_TOKEN",
    "FAULT_DELAY",
    "FAULT_ERROR",
    "FAULT_RATELIMITED",
    "FAULT_SERVER_ERROR",
    "Call",
    "FakeSlackAPI",
    "Fault",
    "Identity",
    "Rejected",
    "Rejection",
    "Reply",
    "SlackError",
    "error_reply",
    "html_reply",
    "json_reply",
    "main",
    "parse_args",
]
