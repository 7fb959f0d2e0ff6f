"""Attendance writes. Every function takes ``by`` (a User or erp.audit.actor.Actor), runs in
one transaction, records audit events and sends the domain signals of attendance/signals.py.

The Slack layer calls: attendance_check_in, attendance_check_out and (a read) attendance_status.
"""

from ..selectors import AttendanceStatus, attendance_status
from .corrections import correction_cancel, correction_decide, correction_request
from .days import mark_overdue_days, send_missing_checkout_reminders, work_day_set_leave
from .derive import rederive
from .devices import (
    device_by_token,
    device_clear_signing_secret,
    device_create,
    device_identifier_map,
    device_issue_signing_secret,
    device_issue_token,
    device_revoke_token,
    device_set_scope,
    device_update,
)
from .held import held_punch_approve, held_punch_reject
from .ingest import IngestResult, backdate_window_of, punches_ingest
from .punches import (
    PunchResult,
    attendance_break_end,
    attendance_break_start,
    attendance_check_in,
    attendance_check_out,
    punch_add,
)

__all__ = [
    "AttendanceStatus",
    "IngestResult",
    "PunchResult",
    "attendance_break_end",
    "attendance_break_start",
    "attendance_check_in",
    "attendance_check_out",
    "attendance_status",
    "backdate_window_of",
    "correction_cancel",
    "correction_decide",
    "correction_request",
    "device_by_token",
    "device_clear_signing_secret",
    "device_create",
    "device_identifier_map",
    "device_issue_signing_secret",
    "device_issue_token",
    "device_revoke_token",
    "device_set_scope",
    "device_update",
    "held_punch_approve",
    "held_punch_reject",
    "mark_overdue_days",
    "punch_add",
    "punches_ingest",
    "rederive",
    "send_missing_checkout_reminders",
    "work_day_set_leave",
]
