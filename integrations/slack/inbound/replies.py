"""Answer shapes for Slack: ephemeral replies, modal errors, and turning exceptions into words."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from erp.core.diskfull import disk_full_message, is_disk_full
from erp.core.errors import DomainError
from erp.core.pii import mask_pii
from integrations.slack.core.blocks import SECTION_TEXT, finalize_message, truncate

logger = logging.getLogger(__name__)


class SlackUserError(DomainError):
    """A refusal worded for the person in Slack (shown as an ephemeral reply)."""

    code = "slack_user_error"


def _masked(text: str, blocks: list | None) -> tuple[str, list | None]:
    """Replies echo what people typed ("unknown sub-command …"): personal data in it is masked
    here as in every other message (found by tests/security/test_parser_properties.py)."""
    text = truncate(mask_pii(str(text or "")), SECTION_TEXT) or "-"
    return text, finalize_message(text, blocks)[1] if blocks else None


def ephemeral(text: str, blocks: list | None = None) -> dict:
    """A reply only the person who acted sees (slash command body or response_url post)."""
    text, blocks = _masked(text, blocks)
    body = {"response_type": "ephemeral", "text": text}
    if blocks:
        body["blocks"] = blocks
    return body


def replace_original(text: str, blocks: list | None = None) -> dict:
    """A response_url body that replaces the message (ephemeral or not) the button was on."""
    text, blocks = _masked(text, blocks)
    body = {"replace_original": True, "text": text}
    if blocks:
        body["blocks"] = blocks
    return body


def validation_messages(exc: ValidationError) -> dict[str, str]:
    """{field: first message} ("__all__" for non-field errors)."""
    if hasattr(exc, "error_dict"):
        return {
            field: " ".join(str(m) for m in ValidationError(errors).messages)
            for field, errors in exc.error_dict.items()
        }
    return {"__all__": " ".join(str(m) for m in exc.messages)}


def explain(exc: Exception) -> str | None:
    """A short user-facing explanation of a refused operation, or None if it is a bug."""
    if isinstance(exc, PermissionDenied):
        return str(exc) or _("You do not have permission to do this.")
    if isinstance(exc, ValidationError):
        return " ".join(validation_messages(exc).values())
    if isinstance(exc, DomainError):
        return str(exc)
    if is_disk_full(exc):  # the transaction rolled back: say so instead of "something went wrong"
        logger.error("Out of storage space answering Slack: %s", exc)
        return disk_full_message()
    return None


def modal_errors(errors: dict[str, str]) -> dict:
    """view_submission answer that shows messages under the named input blocks."""
    return {"response_action": "errors", "errors": {block: truncate(msg, 150) for block, msg in errors.items()}}


def something_went_wrong() -> str:
    return _("Something went wrong on our side; nothing was changed. Please try again or use the portal.")
