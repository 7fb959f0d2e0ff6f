"""Sane limits for dates and ids that arrive from outside (URL filters, page cursors, device
payloads), shared by every module.

Why: a date like 0001-01-01 is valid for Python but the database layer converts it to UTC
(Asia/Seoul is +09:00), which underflows year 1 and raises OverflowError — a 500. Anything a
business record could really carry lies well inside these bounds, so input outside them is
refused (filters, webhooks) or ignored (cursors) before it reaches a query.
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2100, 12, 31)
# Primary keys are 64-bit (BigAutoField); a larger number overflows SQLite's INTEGER binding.
MAX_ID = 2**63 - 1


def validate_sane_date(value: date) -> None:
    """Form validator: refuse dates outside EARLIEST_DATE..LATEST_DATE with a clear message."""
    if value is not None and not (EARLIEST_DATE <= value <= LATEST_DATE):
        raise ValidationError(
            _("Enter a date between %(earliest)s and %(latest)s."),
            code="date_out_of_range",
            params={"earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()},
        )


def is_sane_moment(value) -> bool:
    """True for a timezone-aware datetime whose date lies within the sane bounds."""
    return (
        isinstance(value, datetime) and value.utcoffset() is not None and EARLIEST_DATE <= value.date() <= LATEST_DATE
    )


def is_sane_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID
