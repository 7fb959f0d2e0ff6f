"""How attendance plugs into Slack: punch DMs, the command, the Home section, the morning post."""

from django.utils.translation import gettext_lazy as _

from attendance import signals
from attendance.models import Correction, WorkDay
from integrations.slack.attendance import blocks, command, corrections, home, receivers
from integrations.slack.attendance.jobs import MORNING_POST, attendance_morning_post
from integrations.slack.core import approvals
from integrations.slack.core.home import HomeSection
from integrations.slack.core.modules import Command, Job, Notification, Scope, SlackModule, View

# One small outbox row per punch or weekly signal inside the attendance transaction; the DM
# is rendered after commit in the recipient's language (integrations.slack.core.notify).
_NOTIFICATIONS = (
    (signals.checked_in, "attendance.checked_in", receivers.on_checked_in, receivers.linked),
    (signals.checked_out, "attendance.checked_out", receivers.on_checked_out, receivers.linked),
    (
        signals.weekly_threshold_crossed,
        "attendance.weekly_threshold",
        receivers.on_threshold_crossed,
        receivers.anyone_linked,
    ),
    (
        signals.weekly_cap_exceeded,
        "attendance.weekly_cap",
        receivers.on_cap_exceeded,
        receivers.anyone_linked,
    ),
    (
        signals.weekly_breach_projected,
        "attendance.weekly_projected",
        receivers.on_breach_projected,
        receivers.anyone_linked,
    ),
    (signals.missing_checkout, "attendance.missing_checkout", receivers.on_missing_checkout, receivers.linked),
)

# Corrections: the approvers' DM with buttons, and the decision back to the employee.
_CORRECTION_NOTIFICATIONS = (
    Notification(
        signals.correction_requested,
        "attendance.correction_requested",
        corrections.on_requested,
        sender=Correction,
        record_arg="correction",
        when=approvals.any_approver_linked,
    ),
    Notification(
        signals.correction_decided,
        "attendance.correction_decided",
        corrections.on_decided,
        sender=Correction,
        record_arg="correction",
        when=approvals.employee_linked,
    ),
)

slack_module = SlackModule(
    label="attendance",
    notifications=tuple(
        Notification(signal, kind, handler, sender=WorkDay, record_arg="employee", when=when)
        for signal, kind, handler, when in _NOTIFICATIONS
    )
    + _CORRECTION_NOTIFICATIONS,
    commands=(
        Command(
            "SLACK_ATTENDANCE_COMMAND",
            command.handle,
            description=_("Attendance: check in/out, my week (출근 / 퇴근 / 현황)"),
            usage_hint=_("in [remote | client PLACE] | out | status | help"),
        ),
    ),
    actions={
        blocks.CHECK_IN: home.on_check_in,
        blocks.CHECK_IN_AT_PLACE: home.on_check_in_at_place,
        blocks.CHECK_OUT: home.on_check_out,
        corrections.APPROVE: corrections.on_approve,
        corrections.REJECT: corrections.on_reject,
    },
    views=(View(blocks.CLIENT_PLACE, home.on_client_place),),
    home_sections=(HomeSection("attendance", order=20, build=home.attendance_section),),
    # Who works remotely or at a client today (names and locations, never times): from
    # ATTENDANCE_MORNING_POST_HOUR every 15 minutes until done; the task skips days off.
    jobs=(Job(attendance_morning_post.name, schedule=MORNING_POST.beat_schedule),),
    scopes=(Scope("commands", "the attendance slash command"),),
)
