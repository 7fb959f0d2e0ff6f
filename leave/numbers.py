"""How a number of leave days reads: ``1.5``, ``15`` (no trailing zeros), ``1.5일``."""

from decimal import Decimal

from django.utils.translation import gettext as _


def plain_number(value) -> str:
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def days_text(value) -> str:
    """``2일``, ``1.5일``; ``—`` when unknown. The portal, Slack and the error texts share it."""
    if value is None:
        return "—"
    return _("%(n)s days") % {"n": plain_number(value)}
