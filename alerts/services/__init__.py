"""Every write to alerts goes through these services (DESIGN.md §3.1)."""

from .actions import group_acknowledge, group_open_ticket, group_resolve, group_snooze, release_open_patch_ticket
from .intake import Incoming, Received, alerts_receive
from .sources import source_delete, source_rotate_token, source_save, validate_source

__all__ = [
    "Incoming",
    "Received",
    "alerts_receive",
    "group_acknowledge",
    "group_open_ticket",
    "group_resolve",
    "group_snooze",
    "release_open_patch_ticket",
    "source_delete",
    "source_rotate_token",
    "source_save",
    "validate_source",
]
