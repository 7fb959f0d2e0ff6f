"""How leave plugs into Slack: the approver's DM with buttons, updated in place after the
decision, and the decision DM'd back; the /leave command with its request form; the Home
section (balance, open requests, and the leave waiting for an approver's decision)."""

from django.utils.translation import gettext_lazy as _

from integrations.slack.core.approvals import any_approver_linked
from integrations.slack.core.home import HomeSection
from integrations.slack.core.modules import Command, Notification, Scope, SlackModule, View
from integrations.slack.leave import approvals, blocks, command, home
from leave import signals
from leave.models import LeaveRequest

slack_module = SlackModule(
    label="leave",
    notifications=(
        Notification(
            signals.leave_requested,
            "leave.request_notice",
            approvals.on_requested,
            sender=LeaveRequest,
            record_arg="request",
            when=any_approver_linked,
        ),
        # No cheap filter: the approvers' DMs are found after commit (who was DM'd, if anyone).
        Notification(
            signals.leave_decided,
            "leave.decision_notice",
            approvals.on_decided,
            sender=LeaveRequest,
            record_arg="request",
        ),
        Notification(
            signals.leave_cancelled,
            "leave.cancel_notice",
            approvals.on_cancelled,
            sender=LeaveRequest,
            record_arg="request",
        ),
    ),
    commands=(
        Command(
            "SLACK_LEAVE_COMMAND",
            command.handle,
            description=_("Leave: my balance, request leave, approvals (현황 / 신청 / 승인)"),
            usage_hint=_("[status] | request | approvals | help"),
        ),
    ),
    actions={
        blocks.APPROVE: approvals.on_approve,
        blocks.REJECT: approvals.on_reject,
        blocks.OPEN_REQUEST: command.on_open_request,
    },
    views=(View(blocks.REQUEST_MODAL, command.on_request_submit),),
    home_sections=(HomeSection("leave", order=22, build=home.leave_section),),
    scopes=(Scope("commands", "the leave slash command"),),
)
