"""Modals of the ticket Slack handlers: pure functions, objects in, view dicts out.

Every input block uses ``block_id`` = the form field and ``action_id`` = "value", so a
submission's ``state.values[field]["value"]`` is the field, and a service's
ValidationError({field: ...}) maps straight back onto the block that shows the error.
Modal state (ticket id, channel, response_url) travels in ``private_metadata`` as JSON.
"""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from integrations.slack.core.blocks import context, plain, private_metadata, safe_mrkdwn, section, truncate

VALUE = "value"
MODAL_TITLE = 24
PLAIN_INPUT_MAX = 3000
OPTION_TEXT = 75

CREATE = "tickets.create"
COMMENT = "tickets.comment"
ESCALATE = "tickets.escalate"
CLOSE = "tickets.close"
CHANGE_STATUS = "tickets.change_status"


def option(value: str, label) -> dict:
    return {"text": plain(label, OPTION_TEXT), "value": str(value)[:150]}


def modal(callback_id: str, title, blocks: list, *, submit=None, metadata: dict | None = None) -> dict:
    view = {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title, MODAL_TITLE),
        "close": plain(_("Cancel"), MODAL_TITLE),
        "blocks": blocks[:100],
        "private_metadata": private_metadata(metadata or {}),
    }
    if submit:
        view["submit"] = plain(submit, MODAL_TITLE)
    return view


def text_input(
    field: str,
    label,
    *,
    initial: str = "",
    multiline: bool = False,
    optional: bool = False,
    placeholder: str = "",
    max_length: int = PLAIN_INPUT_MAX,
) -> dict:
    element = {"type": "plain_text_input", "action_id": VALUE, "multiline": multiline, "max_length": max_length}
    if initial:
        element["initial_value"] = truncate(initial, max_length)
    if placeholder:
        element["placeholder"] = plain(placeholder, 150)
    return {"type": "input", "block_id": field, "label": plain(label, 2000), "optional": optional, "element": element}


def select_input(
    field: str, label, choices: list[tuple[str, str]], *, initial: str | None = None, optional: bool = False
) -> dict:
    options = [option(value, text) for value, text in choices[:100]]
    element = {"type": "static_select", "action_id": VALUE, "options": options}
    chosen = next((o for o in options if o["value"] == initial), None)
    if chosen:
        element["initial_option"] = chosen
    return {"type": "input", "block_id": field, "label": plain(label, 2000), "optional": optional, "element": element}


def checkbox_input(field: str, label, choice_label, *, checked: bool = False) -> dict:
    choice = option("yes", choice_label)
    element = {"type": "checkboxes", "action_id": VALUE, "options": [choice]}
    if checked:
        element["initial_options"] = [choice]
    return {"type": "input", "block_id": field, "label": plain(label, 2000), "optional": True, "element": element}


def create_modal(
    *,
    title: str = "",
    description: str = "",
    type_choices,
    level_choices,
    groups,
    default_group: str = "",
    metadata: dict | None = None,
) -> dict:
    """The "new ticket" form; ``groups`` is [(department id, name)], at most 100 shown."""
    blocks = [
        text_input("title", _("Title"), initial=title, max_length=200, placeholder=_("e.g. VPN keeps disconnecting")),
        text_input("description", _("Description"), initial=description, multiline=True, optional=True),
        select_input("ticket_type", _("Type"), type_choices, initial=type_choices[0][0]),
        select_input("impact", _("Impact"), level_choices, initial="medium"),
        select_input("urgency", _("Urgency"), level_choices, initial="medium"),
    ]
    if groups:
        blocks.append(select_input("group", _("Group"), groups, initial=default_group or None, optional=True))
    blocks.append(checkbox_input("sensitive", _("Sensitive"), _("Only the people handling it may see it")))
    return modal(CREATE, _("New ticket"), blocks, submit=_("Create"), metadata=metadata)


def _ticket_line(ticket) -> dict:
    return section(f"*{safe_mrkdwn(ticket.number, 40)}* {safe_mrkdwn(ticket.title, 300)}")


def comment_modal(ticket, *, can_internal: bool, metadata: dict) -> dict:
    blocks = [_ticket_line(ticket), text_input("body", _("Comment"), multiline=True)]
    if can_internal:
        blocks.append(checkbox_input("internal", _("Visibility"), _("Internal note (agents only)")))
    return modal(COMMENT, _("Comment"), blocks, submit=_("Post"), metadata=metadata)


def escalate_modal(ticket, *, metadata: dict) -> dict:
    blocks = [_ticket_line(ticket), text_input("reason", _("Why escalate?"), multiline=True)]
    return modal(ESCALATE, _("Escalate"), blocks, submit=_("Escalate"), metadata=metadata)


def close_modal(ticket, *, metadata: dict) -> dict:
    blocks = [
        _ticket_line(ticket),
        text_input("resolution", _("Resolution"), multiline=True, placeholder=_("How was it solved, or why close it?")),
    ]
    return modal(CLOSE, _("Close ticket"), blocks, submit=_("Close"), metadata=metadata)


def status_modal(ticket, *, choices: list[tuple[str, str]], metadata: dict) -> dict:
    blocks = [
        _ticket_line(ticket),
        select_input("status", _("New status"), choices),
        text_input("reason", _("Note or resolution"), multiline=True, optional=True),
        context(_("Resolving needs a resolution text; it is shown to the requester.")),
    ]
    return modal(CHANGE_STATUS, _("Change status"), blocks, submit=_("Save"), metadata=metadata)


def done_modal(title, text: str) -> dict:
    """What a submitted modal turns into (response_action "update"): a confirmation."""
    return {
        "type": "modal",
        "title": plain(title, MODAL_TITLE),
        # The dismiss button, not the ticket action "Close" (종료): its own context (닫기).
        "close": plain(pgettext("dismiss a dialog", "Close"), MODAL_TITLE),
        "blocks": [section(text)],
    }
