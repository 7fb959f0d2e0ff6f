"""How leave plugs into Slack: the approver's DM with buttons, updated in place after the
decision, and the decision DM'd back."""

from integrations.slack.core.approvals import any_approver_linked
from integrations.slack.core.modules import Notification, SlackModule
from integrations.slack.leave import approvals, blocks
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
    actions={blocks.APPROVE: approvals.on_approve, blocks.REJECT: approvals.on_reject},
)
