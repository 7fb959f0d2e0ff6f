"""Template helpers for leave: day counts and the leave badge the calendars share."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from leave.numbers import days_text

register = template.Library()


@register.filter
def days(value) -> str:
    """``1.5일``, ``15일``: no trailing zeros."""
    return days_text(value)


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


@register.simple_tag
def attendance_note(balance) -> str:
    """How the 80 % rule (근로기준법 제60조) decided this leave year's grant: the previous
    year's attendance from the ledger, or the admin's override; "" when no rule applied."""
    from datetime import timedelta

    from erp.core.dates import range_label

    if getattr(balance, "attendance_overridden", False):
        return _("An admin set how the attendance rule applies to this leave year.")
    record = getattr(balance, "attendance", None)
    if record is None:
        return ""
    values = {
        "period": range_label(record.start, record.end - timedelta(days=1), year=True),
        "percent": f"{record.percent.normalize():f}",
        "days": record.working_days,
        "months": record.full_months,
    }
    if record.meets_threshold:
        return _("Attendance %(period)s: %(percent)s%% of %(days)d working days (80%% or more).") % values
    return (
        _(
            "Attendance %(period)s: %(percent)s%% of %(days)d working days (under 80%%): "
            "one day for each month fully worked, %(months)d."
        )
        % values
    )
