"""The leave slash command (settings.SLACK_LEAVE_COMMAND, default /leave), English and Korean.

``/leave`` (현황): my annual leave balance and my requests, with a button that opens the
request form; ``/leave request`` (신청): the form at once (kind, first and last day, morning
or afternoon, reason); ``/leave approvals`` (승인): the leave waiting for my decision, with
the approve / reject buttons of the approver's DM; ``/leave help`` (도움말).

Replies are ephemeral, in the person's language; the form's refusals are the leave
services' own sentences under the field they concern (the modal stays open). The request
itself is leave.services.leave_request with ``by=who.actor()``, so the portal's rules hold
and the approver gets the usual DM with buttons.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from erp.core.bounds import validate_sane_date
from erp.core.errors import DomainError
from integrations.slack.core.blocks import escape
from integrations.slack.core.home import build_home, publish_home
from integrations.slack.inbound.deferred import defer, respond_later
from integrations.slack.inbound.modals import open_modal
from integrations.slack.inbound.replies import ephemeral, explain, modal_errors, validation_messages
from integrations.slack.leave import blocks
from leave.models import LeaveType
from leave.selectors import balance, my_requests, to_decide
from leave.services import leave_request

VERBS = {
    "status": "mine", "balance": "mine", "mine": "mine", "list": "mine",
    "현황": "mine", "잔여": "mine", "목록": "mine", "내역": "mine", "내휴가": "mine",
    "request": "request", "new": "request", "신청": "request", "요청": "request",
    "approvals": "approvals", "decide": "approvals", "승인": "approvals", "결재": "approvals",
    "help": "help", "도움말": "help", "도움": "help", "?": "help",
}  # fmt: skip
FIELDS = (blocks.TYPE, blocks.START, blocks.END, blocks.PART, blocks.REASON)


def my_leave(who) -> tuple:
    """(balance, my requests, pending for me to decide, how many are pending): what both the
    command's answer and the Home section show. A handful of indexed reads."""
    pending = to_decide(who.user).select_related("employee", "leave_type")
    return (
        balance(who.employee, timezone.localdate()),
        list(my_requests(who.employee)[: blocks.SHOWN_REQUESTS]),
        list(pending[: blocks.SHOWN_TO_DECIDE]),
        pending.count(),
    )


def handle(cmd, who) -> dict:
    word = (cmd.text or "").strip().split(None, 1)
    verb = VERBS.get(word[0].lower()) if word else "mine"
    if verb is None:
        return ephemeral(
            _("Unknown sub-command “%(word)s”. Try `%(command)s help`.")
            % {"word": escape(word[0][:40]), "command": cmd.command}
        )
    if verb == "help":
        return ephemeral(*blocks.help_message(cmd.command))
    if verb == "request":
        open_request_modal(cmd.trigger_id, who, response_url=cmd.response_url)
        return ephemeral(_("The leave request form is open."))
    mine = my_leave(who)
    if verb == "approvals":
        _balance, _requests, pending, total = mine
        if not pending:
            return ephemeral(_("No leave is waiting for your decision."))
        return ephemeral(_("Leave to decide"), blocks.to_decide_blocks(pending, total))
    return ephemeral(*blocks.my_leave_message(*mine))


def open_request_modal(trigger_id: str, who, *, response_url: str = "") -> None:
    kinds = list(LeaveType.objects.filter(is_active=True))
    metadata = {"response_url": response_url} if response_url else {"from": "home"}
    open_modal(trigger_id, blocks.request_modal(kinds, first_day=timezone.localdate(), metadata=metadata))


def on_open_request(interaction, who) -> None:
    """The "Request leave" button (command answer or Home tab)."""
    open_request_modal(interaction.trigger_id, who, response_url=interaction.response_url)


def _value(values: dict, block: str) -> dict:
    return (values.get(block) or {}).get(block) or {}


def _day(values: dict, block: str, errors: dict) -> date | None:
    text = _value(values, block).get("selected_date") or ""
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
        validate_sane_date(day)
    except (ValueError, ValidationError):
        errors[block] = _("Choose a date from the calendar.")
        return None
    return day


def read_form(values: dict) -> tuple[dict, dict]:
    """(errors by block, the service's arguments) from a view_submission's state values."""
    errors: dict[str, str] = {}
    kind_value = (_value(values, blocks.TYPE).get("selected_option") or {}).get("value") or ""
    kind = LeaveType.objects.filter(pk=int(kind_value), is_active=True).first() if kind_value.isdigit() else None
    if kind is None:
        errors[blocks.TYPE] = _("Choose a kind of leave.")
    first = _day(values, blocks.START, errors)
    if first is None and blocks.START not in errors:
        errors[blocks.START] = _("Choose the first day.")
    last = _day(values, blocks.END, errors)
    part = (_value(values, blocks.PART).get("selected_option") or {}).get("value") or ""
    reason = (_value(values, blocks.REASON).get("value") or "").strip()
    if not reason:
        errors[blocks.REASON] = _("Please give a reason.")
    arguments = {"leave_type": kind, "start_date": first, "end_date": last or first, "part": part or "full"}
    return errors, {**arguments, "reason": reason}


def on_request_submit(interaction, who) -> dict | None:
    """The form submitted: request the leave, or show the refusal under its field."""
    errors, arguments = read_form(interaction.state_values)
    if errors:
        return modal_errors(errors)
    try:
        leave = leave_request(employee=who.employee, by=who.actor(), **arguments)
    except ValidationError as exc:
        messages = validation_messages(exc)
        return modal_errors({(f if f in FIELDS else blocks.TYPE): text for f, text in messages.items()})
    except (DomainError, PermissionDenied) as exc:
        return modal_errors({blocks.TYPE: explain(exc) or ""})
    response_url = interaction.private_metadata.get("response_url")
    if isinstance(response_url, str) and response_url:
        respond_later(response_url, ephemeral(blocks.requested_reply(leave)))
    defer(publish_home, who.origin.user_id, build_home(who))
    return None  # an empty 200 closes the modal
