"""Template helpers for leave: day counts and the leave badge the calendars share."""

from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def days(value) -> str:
    """``1.5일``, ``15일``: no trailing zeros."""
    if value is None:
        return "—"
    text = f"{Decimal(value):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return _("%(n)s days") % {"n": text}


@register.simple_tag
def leave_badge(entry) -> str:
    """One LeaveDay as a badge: the kind, and the half for a partial day."""
    if entry.is_full_day:
        return format_html('<span class="badge leave-day">{}</span>', entry.label)
    half = _("morning") if entry.part == "am" else _("afternoon")
    return format_html('<span class="badge leave-day leave-part">{} · {}</span>', entry.label, half)


@register.simple_tag
def leave_on(leave_map, employee_id, day):
    """The LeaveDay entries of one person on one day from a leave.selectors.leave_days map."""
    return (leave_map or {}).get((employee_id, day), ())
