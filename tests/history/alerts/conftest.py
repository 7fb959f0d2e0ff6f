"""The alerts crew (an infra team owning Prometheus, an agent, a member, an outsider), pinned to a working Wednesday."""

from tests.alerts.conftest import _pinned_clock, prometheus, team  # noqa: F401
