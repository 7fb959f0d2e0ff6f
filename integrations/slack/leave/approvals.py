"""Leave requests in Slack: the approver's DM with approve / reject buttons, updated in place
once the request is decided or cancelled (wherever that happened: Slack, portal, admin), and
the decision DM'd back to the requester. Built on the shared approval pattern
(integrations.slack.core.approvals) that attendance corrections use too.

Every handler runs after commit from a notify row (module.py), in the recipient's language.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from erp.core.errors import DomainError
from erp.people.models import Employee
from integrations.slack.core.approvals import decide_from_button
from integrations.slack.core.home import build_home, publish_home
from integrations.slack.core.kit import dm
from integrations.slack.core.models import Operation
from integrations.slack.core.outbox import posted_targets
from integrations.slack.inbound.deferred import defer
from integrations.slack.inbound.modals import notice_modal, open_modal
from integrations.slack.inbound.replies import explain
from integrations.slack.leave import blocks
from leave.models import LeaveRequest
from leave.numbers import days_text
from leave.selectors import balance
from leave.services import leave_decide


def approval_key(leave: LeaveRequest) -> str:
    """Names the approver DMs of one request, so a decision can update them in place."""
    return f"leave.request:{leave.pk}:approval"


def _remaining(leave: LeaveRequest) -> str:
    if not leave.leave_type.deducts_annual:
        return ""
    current = balance(leave.employee, leave.start_date, exclude_request=leave.pk)
    if not current.known:
        return ""
    return days_text(current.remaining)


def on_requested(request: LeaveRequest, approvers=(), **event) -> None:
    for approver in approvers or ():
        if approver is not None:
            dm(
                "leave.requested",
                approver,
                lambda: blocks.request_dm(request, _remaining(request)),
                record=request,
                message_key=approval_key(request),
            )


def _settle_approver_dms(request: LeaveRequest) -> None:
    """chat.update of every approver DM of the request: the outcome replaces the buttons."""
    for target in posted_targets(approval_key(request)):
        approver = Employee.objects.filter(slack_user_id=target).first()
        if approver is None:
            continue
        dm(
            "leave.settled",
            approver,
            lambda: blocks.settled_dm(request),
            record=request,
            message_key=approval_key(request),
            operation=Operation.UPDATE,
        )


def on_decided(request: LeaveRequest, **event) -> None:
    _settle_approver_dms(request)
    dm(
        "leave.decided",
        request.employee,
        lambda: blocks.decision_dm(request),
        record=request,
        once=True,
        message_key=f"leave.request:{request.pk}:decided",
    )


def on_cancelled(request: LeaveRequest, was_approved=False, **event) -> None:
    _settle_approver_dms(request)
    if was_approved and request.decided_by_id and request.decided_by_id != request.employee.user_id:
        # Whoever approved it plans with those days: tell them they are back.
        dm(
            "leave.cancelled",
            request.decided_by,
            lambda: blocks.cancelled_dm(request),
            record=request,
            once=True,
            message_key=f"leave.request:{request.pk}:cancelled",
        )


def _decide(interaction, who, *, approve: bool) -> None:
    """A click in the approver's DM (the DM is replaced in place) or in the Home tab, which
    has no response_url: there the tab is re-published and a refusal explained in a modal."""
    from_home = not interaction.response_url
    try:
        decide_from_button(
            interaction,
            who,
            approve=approve,
            load=lambda pk: LeaveRequest.objects.select_related("employee", "leave_type").filter(pk=pk).first(),
            decide=lambda leave, **kw: leave_decide(request=leave, **kw),
            gone=_("This leave request no longer exists."),
            confirmation=lambda leave, _approve: blocks.settled_dm(leave),
        )
    except (DomainError, PermissionDenied, ValidationError) as exc:
        if not from_home:
            raise  # the inbound view answers ephemerally through the response_url
        defer(publish_home, who.origin.user_id, build_home(who))
        open_modal(interaction.trigger_id, notice_modal(_("Leave"), explain(exc) or ""))
        return
    if from_home:
        defer(publish_home, who.origin.user_id, build_home(who))


def on_approve(interaction, who) -> None:
    _decide(interaction, who, approve=True)


def on_reject(interaction, who) -> None:
    _decide(interaction, who, approve=False)
