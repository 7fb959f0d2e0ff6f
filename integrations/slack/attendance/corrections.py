"""Correction requests in Slack: the approver's DM with approve / reject buttons, showing the
day's times before → after, and the decision DM'd back to the employee.

Both DMs are rendered after commit (notify rows, see module.py) in the recipient's language.
The buttons call attendance.services.correction_decide with ``by=who.actor()``: the same
four-eyes and manager rules as the portal, and a second click is refused as already decided.
"""

from django.utils.translation import gettext as _

from attendance.models import Correction, WorkDay
from attendance.services import correction_decide
from erp.people.names import display_name
from integrations.slack.attendance.blocks import clock, day_label
from integrations.slack.core.approvals import approval_buttons, decide_from_button
from integrations.slack.core.blocks import context, safe_mrkdwn, section, shows
from integrations.slack.core.kit import dm
from integrations.slack.core.privacy.classes import INTERNAL, PERSONAL, PUBLIC

APPROVE = "attendance.correction_approve"
REJECT = "attendance.correction_reject"


def _span(first_in, last_out) -> str:
    return f"{clock(first_in)} ~ {clock(last_out)}"


def before_after(correction: Correction, work_day: WorkDay | None) -> str:
    """``09:40 ~ — → 09:00 ~ 18:10``: the day as it stands, then as it would be."""
    before_in = correction.previous_in or (work_day.first_in if work_day else None)
    before_out = correction.previous_out or (work_day.last_out if work_day else None)
    after_in = correction.proposed_in or before_in
    after_out = correction.proposed_out or before_out
    return f"{_span(before_in, before_out)} → *{_span(after_in, after_out)}*"


@shows(kinds=("attendance.correction_requested",), day=PUBLIC, employee=INTERNAL, punch_times=PERSONAL, reason=PERSONAL)
def request_dm(correction: Correction, work_day: WorkDay | None) -> tuple[str, list[dict]]:
    values = {"name": correction.employee.display_name, "day": day_label(correction.date)}
    lead = _("%(name)s asked to correct the times of %(day)s.") % values
    value = str(correction.pk)
    blocks = [
        section(f"🕘 *{safe_mrkdwn(lead, 300)}*\n{before_after(correction, work_day)}"),
        section(_("Reason: %(reason)s") % {"reason": safe_mrkdwn(correction.reason, 1500)}),
        approval_buttons(
            approve=APPROVE,
            reject=REJECT,
            value=value,
            portal_url=f"/attendance/corrections/{correction.pk}/",
            block_id=f"correction:{correction.pk}",
        ),
    ]
    return lead, blocks


@shows(
    kinds=("attendance.correction_decided",), day=PUBLIC, decision=PUBLIC, punch_times=PERSONAL, decision_note=PERSONAL
)
def decision_dm(correction: Correction, work_day: WorkDay | None) -> tuple[str, list[dict]]:
    decider = display_name(correction.decided_by) if correction.decided_by_id else _("An admin")
    values = {"day": day_label(correction.date), "name": decider}
    if correction.status == Correction.Status.APPROVED:
        lead = _("%(name)s approved your correction of %(day)s.") % values
    else:
        lead = _("%(name)s rejected your correction of %(day)s.") % values
    blocks = [section(f"🕘 *{safe_mrkdwn(lead, 300)}*\n{before_after(correction, work_day)}")]
    if correction.decision_note:
        blocks.append(context(_("Note: %(note)s") % {"note": safe_mrkdwn(correction.decision_note, 1000)}))
    return lead, blocks


def _work_day(correction: Correction) -> WorkDay | None:
    return WorkDay.objects.filter(employee_id=correction.employee_id, date=correction.date).first()


def on_requested(correction, approvers=(), **event):
    work_day = _work_day(correction)
    for approver in approvers or ():
        if approver is not None:
            dm("attendance.correction_requested", approver, lambda: request_dm(correction, work_day), record=correction)


def on_decided(correction, **event):
    dm(
        "attendance.correction_decided",
        correction.employee,
        lambda: decision_dm(correction, _work_day(correction)),
        record=correction,
        once=True,
        message_key=f"attendance.correction:{correction.pk}:decided",
    )


def _confirmation(correction: Correction, approve: bool) -> tuple[str, None]:
    values = {"name": correction.employee.display_name, "day": day_label(correction.date)}
    if approve:
        return "✅ " + _("You approved %(name)s's correction of %(day)s.") % values, None
    return "↩️ " + _("You rejected %(name)s's correction of %(day)s.") % values, None


def _decide(interaction, who, *, approve: bool) -> None:
    decide_from_button(
        interaction,
        who,
        approve=approve,
        load=lambda pk: Correction.objects.select_related("employee").filter(pk=pk).first(),
        decide=lambda correction, **kw: correction_decide(correction=correction, **kw),
        gone=_("This correction no longer exists."),
        confirmation=_confirmation,
    )


def on_approve(interaction, who) -> None:
    _decide(interaction, who, approve=True)


def on_reject(interaction, who) -> None:
    _decide(interaction, who, approve=False)
