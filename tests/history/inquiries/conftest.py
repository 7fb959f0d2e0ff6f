"""The inquiries crew (sales, marketing, a developer, an admin), its site and intake, pinned to a working Wednesday."""

from tests.inquiries.conftest import _working_wednesday, receive, site, team  # noqa: F401
