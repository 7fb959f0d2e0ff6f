"""The Slack crew and signed poster of the inbound tests, for the search command."""

from tests.integrations.slack.attendance.conftest import _pinned_clock, team  # noqa: F401
from tests.integrations.slack.inbound.conftest import (  # noqa: F401  (fixtures used by the tests here)
    _fresh_process_memory,
    crew,
    ephemeral_text,
    make_ticket,
    post,
)
