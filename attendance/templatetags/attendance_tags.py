from django import template

from erp.core.durations import minutes_label

register = template.Library()


@register.filter
def hm(minutes) -> str:
    """480 → "8 h", 370 → "6 h 10 m" (translatable units; erp.core.durations)."""
    return minutes_label(minutes)


@register.filter
def hours(minutes) -> str:
    """Whole hours for a compact figure: 1860 → "31"."""
    try:
        return str(int(minutes or 0) // 60)
    except (TypeError, ValueError):
        return ""
