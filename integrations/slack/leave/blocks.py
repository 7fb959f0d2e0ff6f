"""Leave messages: pure Block Kit builders (objects in, dicts out, no queries)."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from erp.core.dates import day_label, range_label
from erp.people.names import display_name
from integrations.slack.core.approvals import approval_buttons
from integrations.slack.core.blocks import context, fields_section, safe_mrkdwn, section, shows
from integrations.slack.core.privacy.classes import INTERNAL, PERSONAL, SENSITIVE
from leave.models import DayPart, LeaveRequest

APPROVE = "leave.approve"
REJECT = "leave.reject"


def _day(value) -> str:
    return day_label(value)


def dates_label(leave: LeaveRequest) -> str:
    """``12월 7일 (월) ~ 12월 9일 (수)``, or one day with its half: ``12월 7일 (월) · 오전``."""
    if leave.start_date != leave.end_date:
        return range_label(leave.start_date, leave.end_date)
    if leave.part != DayPart.FULL:
        return f"{_day(leave.start_date)} · {DayPart(leave.part).label}"
    return _day(leave.start_date)


def days_label(leave: LeaveRequest) -> str:
    text = f"{leave.days:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return _("%(n)s days") % {"n": text}


def _facts(leave: LeaveRequest) -> dict:
    return fields_section(
        [
            (_("Kind of leave"), safe_mrkdwn(leave.leave_type.label, 100)),
            (_("Dates"), dates_label(leave)),
            (pgettext("leave request", "Days"), days_label(leave)),
        ]
    )


def _portal_url(leave: LeaveRequest) -> str:
    return f"/leave/{leave.pk}/"


# Privacy classes: who is away and when is internal; the kind of leave (병가, 경조사) is personal;
# the free-text reason may hold health or family details, so it is sensitive (DMs only).
@shows(
    kinds=("leave.requested",),
    employee=INTERNAL,
    dates=INTERNAL,
    kind=PERSONAL,
    days=INTERNAL,
    reason=SENSITIVE,
    remaining=PERSONAL,
)
def request_dm(leave: LeaveRequest, remaining: str = "") -> tuple[str, list[dict]]:
    """The approver's DM: who, what, when, why, and the approve / reject buttons."""
    lead = _("%(name)s asked for leave: %(kind)s, %(dates)s.") % {
        "name": leave.employee.display_name,
        "kind": leave.leave_type.label,
        "dates": dates_label(leave),
    }
    blocks = [
        section(f"🌴 *{safe_mrkdwn(lead, 300)}*"),
        _facts(leave),
        section(_("Reason: %(reason)s") % {"reason": safe_mrkdwn(leave.reason, 1500)}),
    ]
    if remaining:
        blocks.append(context(_("Annual leave remaining: %(days)s") % {"days": remaining}))
    blocks.append(
        approval_buttons(
            approve=APPROVE,
            reject=REJECT,
            value=str(leave.pk),
            portal_url=_portal_url(leave),
            block_id=f"leave:{leave.pk}",
        )
    )
    return lead, blocks


def _decider(leave: LeaveRequest) -> str:
    return display_name(leave.decided_by) if leave.decided_by_id else _("An admin")


def outcome_line(leave: LeaveRequest) -> str:
    """What became of the request, for the approver's DM once it is no longer pending."""
    values = {"name": _decider(leave), "person": leave.employee.display_name}
    if leave.status == LeaveRequest.Status.APPROVED:
        return "✅ " + _("%(name)s approved this leave.") % values
    if leave.status == LeaveRequest.Status.REJECTED:
        return "↩️ " + _("%(name)s rejected this leave.") % values
    return "🚫 " + _("%(person)s cancelled this leave.") % values


@shows(
    kinds=("leave.settled",),
    employee=INTERNAL,
    dates=INTERNAL,
    kind=PERSONAL,
    days=INTERNAL,
    decided_by=INTERNAL,
    decision_note=PERSONAL,
)
def settled_dm(leave: LeaveRequest) -> tuple[str, list[dict]]:
    """The approver's DM after a decision or a cancellation: the same facts, no buttons."""
    lead = _("Leave of %(name)s: %(kind)s, %(dates)s.") % {
        "name": leave.employee.display_name,
        "kind": leave.leave_type.label,
        "dates": dates_label(leave),
    }
    outcome = outcome_line(leave)
    blocks = [section(f"🌴 *{safe_mrkdwn(lead, 300)}*"), _facts(leave), section(safe_mrkdwn(outcome, 300))]
    if leave.decision_note:
        blocks.append(context(_("Comment: %(note)s") % {"note": safe_mrkdwn(leave.decision_note, 1000)}))
    return f"{lead} {outcome}", blocks


@shows(kinds=("leave.decided",), dates=INTERNAL, kind=PERSONAL, decided_by=INTERNAL, decision_note=PERSONAL)
def decision_dm(leave: LeaveRequest) -> tuple[str, list[dict]]:
    """The requester's DM after the decision."""
    values = {"name": _decider(leave), "kind": leave.leave_type.label, "dates": dates_label(leave)}
    if leave.status == LeaveRequest.Status.APPROVED:
        lead = _("%(name)s approved your leave: %(kind)s, %(dates)s.") % values
    else:
        lead = _("%(name)s rejected your leave: %(kind)s, %(dates)s.") % values
    blocks = [section(f"🌴 *{safe_mrkdwn(lead, 300)}*")]
    if leave.decision_note:
        blocks.append(context(_("Comment: %(note)s") % {"note": safe_mrkdwn(leave.decision_note, 1000)}))
    return lead, blocks


@shows(kinds=("leave.cancelled",), employee=INTERNAL, dates=INTERNAL, kind=PERSONAL)
def cancelled_dm(leave: LeaveRequest) -> tuple[str, list[dict]]:
    """The approver's DM when approved leave is cancelled (the days go back to the balance)."""
    lead = _("%(name)s cancelled approved leave: %(kind)s, %(dates)s.") % {
        "name": leave.employee.display_name,
        "kind": leave.leave_type.label,
        "dates": dates_label(leave),
    }
    return lead, [section(f"🌴 *{safe_mrkdwn(lead, 300)}*")]
