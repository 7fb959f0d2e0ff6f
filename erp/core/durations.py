"""Durations as people write them: "8시간 5분", "52시간", "47분" (never "52시간 00분").

One formatter for the web (attendance's ``hm`` filter) and every Slack message, so a
duration reads the same everywhere; the units are translatable.
"""

from django.utils.translation import gettext as _


def minutes_label(minutes) -> str:
    """480 → "8 h", 370 → "6 h 10 m", 47 → "47 m", 0 → "0 m" (Korean: 8시간, 6시간 10분, 47분)."""
    try:
        minutes = int(minutes or 0)
    except (TypeError, ValueError):
        return ""
    hours, rest = divmod(max(0, minutes), 60)
    if hours == 0:
        return _("%(m)d m") % {"m": rest}
    if rest == 0:
        return _("%(h)d h") % {"h": hours}
    return _("%(h)d h %(m)d m") % {"h": hours, "m": rest}


def relative_due(due, now) -> tuple[str, bool]:
    """("13분 남음", False) before ``due``, ("2시간 초과", True) after it: how agents read an SLA.

    Under an hour in minutes, under two days in hours (and minutes), beyond that in days.
    """
    seconds = (due - now).total_seconds()
    overdue = seconds < 0
    minutes = int(abs(seconds) // 60)
    if minutes >= 48 * 60:
        span = _("%(d)d d") % {"d": minutes // (24 * 60)}
    else:
        span = minutes_label(minutes if minutes < 60 else minutes - minutes % 5)
    if overdue:
        return _("%(duration)s overdue") % {"duration": span}, True
    return _("%(duration)s left") % {"duration": span}, False
