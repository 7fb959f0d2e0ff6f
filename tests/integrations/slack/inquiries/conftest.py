"""Inquiry Slack tests reuse the inquiry fixtures (team, site, receive) and the signed poster."""

from tests.inquiries.conftest import _fresh_rate_limits, _working_wednesday, receive, site, team  # noqa: F401
from tests.integrations.slack.inbound.conftest import _fresh_process_memory, post  # noqa: F401
