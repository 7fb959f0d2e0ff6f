"""Approval requests in Slack, shared by every module that asks someone to approve something
(attendance corrections, leave requests …).

The pattern: the approver gets a DM with approve / reject buttons (one ``actions`` block whose
``block_id`` names the record); a click calls the module's own decide service with
``by=who.actor()`` — the same rules as the portal, and a second click is refused by the
service as already decided — then the clicked message is replaced in place through the
interaction's ``response_url``. The decision is DM'd back to the requester by the module's
notification handler. The in-transaction filters below keep people not on Slack from costing
an outbox row.
"""

from collections.abc import Callable

from django.utils.translation import gettext as _

from integrations.slack.core.blocks import actions, button, link_button
from integrations.slack.inbound.deferred import respond_later
from integrations.slack.inbound.replies import SlackUserError, replace_original


def approval_buttons(*, approve: str, reject: str, value: str, portal_url: str, block_id: str) -> dict:
    """The approve / reject / open-in-portal row of an approver's DM."""
    return actions(
        button(_("Approve"), action_id=approve, value=value, style="primary"),
        button(_("Reject"), action_id=reject, value=value, style="danger"),
        link_button(_("Open in portal"), portal_url),
        block_id=block_id,
    )


def button_pk(value: str) -> int:
    """The record id a button carries (0 for anything that is not a plain number)."""
    return int(value) if str(value or "").isdigit() else 0


def decide_from_button(
    interaction,
    who,
    *,
    approve: bool,
    load: Callable[[int], object],
    decide: Callable[..., object],
    gone: str,
    confirmation: Callable[[object, bool], tuple[str, list | None]],
) -> None:
    """Run a module's decide service for the clicked record and replace the clicked message.

    ``load(pk)`` returns the record or None (then ``gone`` is the user's ephemeral answer);
    ``decide(record, approve=…, by=…)`` is the domain service; ``confirmation(record,
    approve)`` gives the (text, blocks) shown in place of the DM. Refusals raised by the
    service (PermissionDenied, ConflictError, ValidationError) reach the user as an
    ephemeral reply in their language (inbound dispatch).
    """
    record = load(button_pk(interaction.action_value))
    if record is None:
        raise SlackUserError(gone)
    record = decide(record, approve=approve, by=who.actor())
    text, blocks = confirmation(record, approve)
    respond_later(interaction.response_url, replace_original(text, blocks))


# --- in-transaction filters (no queries) --------------------------------------------------------


def any_approver_linked(approvers=(), **event) -> bool:
    return any(getattr(a, "slack_user_id", "") for a in approvers or ())


def employee_linked(employee=None, **event) -> bool:
    return bool(getattr(employee, "slack_user_id", ""))
