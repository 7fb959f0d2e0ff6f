"""Charts drawn on the server as inline SVG: no CDN, no script, readable on a 390 px phone.

The SVG has a fixed viewBox and scales to its container's width; text stays legible because
the viewBox is narrow (360 units) and the font size is set in those units. Labels are plain
text (Korean included), escaped; each chart has a <title> and an aria-label for screen
readers, and the page shows the same figures in a table below it.
"""

import math

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .reports import Chart

WIDTH, HEIGHT = 360, 200
LEFT, RIGHT, TOP, BOTTOM = 34, 8, 10, 44
PALETTE = ("#2563eb", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#64748b")
MAX_X_LABELS = 8


def nice_ceiling(value: float) -> float:
    """1, 2, 2.5, 5 × 10^k at or above ``value`` (an axis top people read at a glance)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def _number(value: float) -> str:
    return f"{value:g}" if abs(value) < 10_000 else f"{value / 1000:g}k"


def render(chart: Chart) -> SafeString:
    values = [v for s in chart.series for v in s.values if v is not None]
    top = nice_ceiling(max(values, default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    count = max(len(chart.labels), 1)
    slot = plot_w / count

    def y(value):
        return TOP + plot_h - (value / top) * plot_h

    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(chart.title)}" '
        f'xmlns="http://www.w3.org/2000/svg" font-size="9" font-family="sans-serif">',
        f"<title>{escape(chart.title)}</title>",
    ]
    for step in range(5):  # grid and y labels
        value = top * step / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="#e5e7eb"/>'
            f'<text x="{LEFT - 3}" y="{y(value) + 3:.1f}" text-anchor="end" fill="#6b7280">{_number(value)}</text>'
        )
    every = math.ceil(count / MAX_X_LABELS)
    for i, label in enumerate(chart.labels):
        if i % every == 0:
            x = LEFT + slot * (i + 0.5)
            parts.append(
                f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 12}" text-anchor="middle" '
                f'fill="#6b7280">{escape(label)}</text>'
            )
    series = chart.series
    for index, one in enumerate(series):
        color = PALETTE[index % len(PALETTE)]
        if chart.kind == "line":
            points = [f"{LEFT + slot * (i + 0.5):.1f},{y(v):.1f}" for i, v in enumerate(one.values) if v is not None]
            if points:
                parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{" ".join(points)}"/>')
                if len(points) == 1:
                    cx, cy = points[0].split(",")
                    parts.append(f'<circle cx="{cx}" cy="{cy}" r="2.5" fill="{color}"/>')
        else:
            bar_w = slot * 0.8 / max(len(series), 1)
            for i, v in enumerate(one.values):
                if not v:
                    continue
                x = LEFT + slot * i + slot * 0.1 + bar_w * index
                parts.append(
                    f'<rect x="{x:.1f}" y="{y(v):.1f}" width="{max(bar_w, 0.5):.1f}" '
                    f'height="{TOP + plot_h - y(v):.1f}" '
                    f'fill="{color}"><title>{escape(chart.labels[i])}: {_number(v)}{escape(chart.unit)}</title></rect>'
                )
    legend_y, legend_x = HEIGHT - 12, LEFT
    for index, one in enumerate(series):
        color = PALETTE[index % len(PALETTE)]
        name = escape(str(one.name))[:18]
        parts.append(
            f'<rect x="{legend_x}" y="{legend_y - 7}" width="8" height="8" fill="{color}"/>'
            f'<text x="{legend_x + 11}" y="{legend_y}" fill="#374151">{name}</text>'
        )
        legend_x += 16 + 9 * len(str(one.name)[:18])
        if legend_x > WIDTH - 40:
            break
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text piece escaped above
