"""Admin for devices (tokens, CSV upload), punches, unmatched punches, work days and corrections.

Every write goes through attendance.services with an admin Actor; punches and batches are
evidence and read-only here.
"""

from . import days, devices, punches

__all__ = ["days", "devices", "punches"]
