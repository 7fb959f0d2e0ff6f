"""Every write to inquiries goes through these services (DESIGN.md §3.1).

Each takes keyword arguments and ``by`` (an Actor or a User), runs in one transaction
holding the inquiry's row lock, checks permissions (PermissionDenied), validates
(ValidationError with translated messages per field), records an audit event and sends
the domain signal from inquiries.signals inside the transaction.
"""

from .answers import AnswerNotSent, inquiry_answer, render_template
from .config import (
    key_digest,
    rule_delete,
    rule_save,
    site_delete,
    site_issue_api_key,
    site_save,
    template_delete,
    template_save,
)
from .convert import default_ticket_title, inquiry_convert_to_ticket
from .email import EmailOutcome, intake_email
from .handling import (
    EDITABLE_FIELDS,
    inquiry_add_note,
    inquiry_assign,
    inquiry_change_status,
    inquiry_mark_spam,
    inquiry_release,
    inquiry_set_tags,
    inquiry_share,
    inquiry_update,
    normalize_tags,
)
from .intake import Submission, Visitor, clean_submission, inquiry_receive

__all__ = [
    "EDITABLE_FIELDS",
    "AnswerNotSent",
    "EmailOutcome",
    "Submission",
    "Visitor",
    "clean_submission",
    "default_ticket_title",
    "inquiry_add_note",
    "inquiry_answer",
    "inquiry_assign",
    "inquiry_change_status",
    "inquiry_convert_to_ticket",
    "inquiry_mark_spam",
    "inquiry_receive",
    "inquiry_release",
    "inquiry_set_tags",
    "inquiry_share",
    "inquiry_update",
    "intake_email",
    "key_digest",
    "normalize_tags",
    "render_template",
    "rule_delete",
    "rule_save",
    "site_delete",
    "site_issue_api_key",
    "site_save",
    "template_delete",
    "template_save",
]
