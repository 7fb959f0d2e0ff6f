from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def hm(minutes) -> str:
    """480 → "8 h", 370 → "6 h 10 m" (translatable units)."""
    try:
        minutes = int(minutes or 0)
    except (TypeError, ValueError):
        return ""
    hours, rest = divmod(max(0, minutes), 60)
    if rest == 0:
        return _("%(h)d h") % {"h": hours}
    if hours == 0:
        return _("%(m)d m") % {"m": rest}
    return _("%(h)d h %(m)d m") % {"h": hours, "m": rest}


@register.filter
def hours(minutes) -> str:
    """Whole hours for a compact figure: 1860 → "31"."""
    try:
        return str(int(minutes or 0) // 60)
    except (TypeError, ValueError):
        return ""
