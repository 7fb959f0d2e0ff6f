"""Percentages as CSS classes: the Content-Security-Policy forbids ``style="width: 42%"``.

Bars and timeline segments use half-percent classes instead (``pct-w-85`` = 42.5 %,
``pct-l-15`` = 7.5 %): static/css/haru.css holds the widths, meetings.css the left offsets.
Precise to 0.5 %, and no JavaScript needed.
"""

STEPS = 200  # pct-w-0 … pct-w-200


def _step(value) -> int:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0
    return max(0, min(STEPS, round(number * 2)))


def pct_width(value) -> str:
    return f"pct-w-{_step(value)}"


def pct_left(value) -> str:
    return f"pct-l-{_step(value)}"
