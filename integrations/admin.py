"""Admin registrations live next to each channel's models."""

from .oncall import admin as oncall_admin  # noqa: F401
from .slack import admin as slack_admin  # noqa: F401
from .slack import routing_admin  # noqa: F401
