"""Leave messages: pure Block Kit builders (objects in, dicts out, no queries)."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from erp.core.dates import day_label, range_label
from erp.people.names import display_name
from integrations.slack.core.approvals import approval_buttons
from integrations.slack.core.blocks import (
    actions,
    button,
    context,
    fields_section,
    header,
    link_button,
    plain,
    private_metadata,
    safe_mrkdwn,
    section,
    shows,
)
from integrations.slack.core.privacy.classes import INTERNAL, PERSONAL, SENSITIVE
from leave.models import DayPart, LeaveRequest
from leave.numbers import days_text
from leave.templatetags.leave_tags import attendance_note

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
    return days_text(leave.days)


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


# --- my leave: the command's answer and the App Home section (the viewer's own screen) -----------

OPEN_REQUEST = "leave.open_request"  # the button that opens the request modal
REQUEST_MODAL = "leave.request_modal"
# Block ids of the modal = the service's field names, so its errors land under the right input.
TYPE, START, END, PART, REASON = "leave_type", "start_date", "end_date", "part", "reason"
SHOWN_REQUESTS = 8
SHOWN_TO_DECIDE = 5  # the Home tab holds 100 blocks; the rest is one click away in the portal

STATUS_EMOJI = {
    LeaveRequest.Status.PENDING: "⏳",
    LeaveRequest.Status.APPROVED: "✅",
    LeaveRequest.Status.REJECTED: "↩️",
    LeaveRequest.Status.CANCELLED: "🚫",
}


def balance_blocks(balance) -> list[dict]:
    """Remaining annual leave, and what it is made of, in the leave year of today."""
    if not balance.known:
        return [
            section(safe_mrkdwn(_("No hire date is recorded yet, so the balance cannot be computed. Please ask HR.")))
        ]
    lead = _("Annual leave remaining: %(days)s") % {"days": days_text(balance.remaining)}
    pairs = [(_("Granted"), days_text(balance.granted))]
    if balance.adjusted:
        pairs.append((_("Adjusted"), days_text(balance.adjusted)))
    pairs.append((_("Used"), days_text(balance.used)))
    if balance.pending:
        pairs.append((_("Waiting for approval"), days_text(balance.pending)))
    pairs.append((_("Leave year"), range_label(balance.period_start, balance.last_day, year=True)))
    blocks = [section(f"*{safe_mrkdwn(lead, 200)}*"), fields_section(pairs)]
    note = attendance_note(balance)
    if note:
        blocks.append(context(safe_mrkdwn(note, 500)))
    if balance.first_year and balance.upcoming:
        blocks.append(
            context(
                _("In the first year one day arises per full month worked; %(n)s more to come.")
                % {"n": days_text(balance.upcoming)}
            )
        )
    return blocks


def request_line(leave: LeaveRequest) -> str:
    """``⏳ 연차 · 12월 7일 (월) ~ 12월 8일 (화) · 2일 · 승인 대기``."""
    parts = [safe_mrkdwn(leave.leave_type.label, 100), dates_label(leave), days_label(leave)]
    status = f"*{safe_mrkdwn(leave.get_status_display(), 40)}*"
    return f"{STATUS_EMOJI.get(leave.status, '•')} " + " · ".join(parts + [status])


def _my_requests_blocks(requests) -> list[dict]:
    if not requests:
        return [context(safe_mrkdwn(_("You have no leave requests yet.")))]
    lines = [request_line(leave) for leave in requests[:SHOWN_REQUESTS]]
    heading = _("My requests")  # outside the f-string, or makemessages cannot see the msgid
    return [section(f"*{safe_mrkdwn(heading, 100)}*\n" + "\n".join(lines))]


def _request_buttons() -> dict:
    return actions(
        button(_("Request leave"), action_id=OPEN_REQUEST, value="new", style="primary"),
        link_button(_("Open in portal"), "/leave/"),
    )


def to_decide_blocks(pending, total: int) -> list[dict]:
    """Requests waiting for the viewer's decision, each with the approve / reject buttons of the DM."""
    if not pending:
        return []
    heading = _("Leave to decide")
    blocks = [section(f"*{safe_mrkdwn(heading, 100)}*")]
    for leave in pending[:SHOWN_TO_DECIDE]:
        line = _("%(name)s: %(kind)s, %(dates)s (%(days)s)") % {
            "name": leave.employee.display_name,
            "kind": leave.leave_type.label,
            "dates": dates_label(leave),
            "days": days_label(leave),
        }
        blocks.append(
            section(
                safe_mrkdwn(line, 300) + "\n" + _("Reason: %(reason)s") % {"reason": safe_mrkdwn(leave.reason, 500)}
            )
        )
        blocks.append(
            approval_buttons(
                approve=APPROVE,
                reject=REJECT,
                value=str(leave.pk),
                portal_url=_portal_url(leave),
                block_id=f"leave:{leave.pk}",
            )
        )
    if total > SHOWN_TO_DECIDE:
        more = _("%(n)d more are waiting in the portal.") % {"n": total - SHOWN_TO_DECIDE}
        blocks.append(context(safe_mrkdwn(more)))
    return blocks


def my_leave_message(balance, requests, pending=(), pending_total: int = 0) -> tuple[str, list[dict]]:
    """The command's answer: balance, my requests, the request button, and what I must decide."""
    title = _("My leave")
    blocks = [header(title), *balance_blocks(balance), *_my_requests_blocks(requests), _request_buttons()]
    blocks += to_decide_blocks(pending, pending_total)
    fallback = (
        _("Annual leave remaining: %(days)s") % {"days": days_text(balance.remaining)} if balance.known else title
    )
    return fallback, blocks


def home_section(balance, requests, pending=(), pending_total: int = 0) -> list[dict]:
    """The App Home section: the same as the command's answer under a section heading."""
    open_requests = [leave for leave in requests if leave.is_open]
    heading = _("Leave")
    blocks = [section(f"*🌴 {safe_mrkdwn(heading, 100)}*"), *balance_blocks(balance)]
    if open_requests:
        blocks += _my_requests_blocks(open_requests)
    blocks.append(_request_buttons())
    return blocks + to_decide_blocks(pending, pending_total)


def help_message(command: str) -> tuple[str, list[dict]]:
    rows = [
        ("status | 현황", _("my annual leave balance and my requests")),
        ("request | 신청", _("request leave in a form (kind, dates, reason)")),
        ("approvals | 승인", _("leave waiting for my decision, with approve / reject buttons")),
        ("help | 도움말", _("this list")),
    ]
    lines = [f"`{safe_mrkdwn(command, 40)} {safe_mrkdwn(usage, 120)}` {safe_mrkdwn(what, 200)}" for usage, what in rows]
    title = _("Leave in Slack")
    return title + "\n" + "\n".join(lines), [header(title), section("\n".join(lines))]


# --- the request modal --------------------------------------------------------------------------


def _input(block_id: str, label, element: dict, *, optional: bool = False, hint: str = "") -> dict:
    block = {"type": "input", "block_id": block_id, "label": plain(label, 2000), "element": element}
    if optional:
        block["optional"] = True
    if hint:
        block["hint"] = plain(hint, 2000)
    return block


def _option(text, value: str) -> dict:
    return {"text": plain(text, 75), "value": value}


def request_modal(leave_types, *, first_day, metadata: dict | None = None) -> dict:
    """Kind, first and last day, morning / afternoon (for a partial day), reason (callback leave.request_modal)."""
    kinds = [_option(kind.label, str(kind.pk)) for kind in leave_types[:100]]
    parts = [_option(DayPart.AM.label, DayPart.AM), _option(DayPart.PM.label, DayPart.PM)]
    return {
        "type": "modal",
        "callback_id": REQUEST_MODAL,
        "title": plain(_("Request leave"), 24),
        "submit": plain(pgettext("submit a leave request", "Request"), 24),
        "close": plain(pgettext("dismiss a modal", "Close"), 24),
        "private_metadata": private_metadata(metadata or {}),
        "blocks": [
            _input(TYPE, _("Kind of leave"), {"type": "static_select", "action_id": TYPE, "options": kinds}),
            _input(
                START, _("First day"), {"type": "datepicker", "action_id": START, "initial_date": first_day.isoformat()}
            ),
            _input(
                END,
                _("Last day"),
                {"type": "datepicker", "action_id": END},
                optional=True,
                hint=_("Leave empty for a single day."),
            ),
            _input(
                PART,
                _("Part of the day"),
                {"type": "static_select", "action_id": PART, "options": parts},
                optional=True,
                hint=_("Only for a quarter day you may take in the morning or the afternoon."),
            ),
            _input(
                REASON,
                _("Reason"),
                {"type": "plain_text_input", "action_id": REASON, "multiline": True, "max_length": 1000},
            ),
        ],
    }


def requested_reply(leave: LeaveRequest) -> str:
    """The requester's confirmation after the modal (ephemeral where the command was typed)."""
    return _("Leave requested: %(kind)s, %(dates)s (%(days)s). Your manager decides it; you get a DM.") % {
        "kind": leave.leave_type.label,
        "dates": dates_label(leave),
        "days": days_label(leave),
    }
