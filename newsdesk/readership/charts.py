"""Geometry for the dashboard's SVG charts, drawn on the server (no chart library, no CDN).

These functions only compute coordinates and labels; the markup lives in
``templates/readership/admin/*_chart.html``.
"""

import math
from dataclasses import dataclass

from . import clock

# Distinguishable for the common colour-vision deficiencies (Okabe–Ito).
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]


def nice_ceiling(value: float) -> int:
    """The smallest 1, 2 or 5 × 10ⁿ at or above ``value`` (at least 4, for four gridlines)."""
    if value <= 4:
        return 4
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return math.ceil(step * magnitude)
    return int(10 * magnitude)


@dataclass
class Line:
    label: str
    colour: str
    points: str
    total: int
    url: str = ""


def line_chart(series: list[tuple[str, list[int], str]], first_hour: int, width=640, height=260):
    """``series``: (label, views per hour, link) each; hours run from ``first_hour``."""
    left, right, top, bottom = 48, 12, 12, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    count = max((len(values) for _, values, _ in series), default=0)
    peak = nice_ceiling(max((max(values, default=0) for _, values, _ in series), default=0))

    def x(index):
        return left + (index * plot_w / (count - 1) if count > 1 else 0)

    def y(value):
        return top + plot_h - value * plot_h / peak

    lines = [
        Line(
            label=label,
            colour=PALETTE[number % len(PALETTE)],
            points=" ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values)),
            total=sum(values),
            url=url,
        )
        for number, (label, values, url) in enumerate(series)
    ]
    y_ticks = [(round(y(peak * n / 4), 1), f"{peak * n // 4:,}") for n in range(5)]
    x_ticks = []
    for index in range(count):
        start = clock.hour_start(first_hour + index)
        if start.hour % 6 == 0:
            label = start.strftime("%d %b") if start.hour == 0 else start.strftime("%H:00")
            x_ticks.append((round(x(index), 1), label))
    return {
        "width": width,
        "height": height,
        "left": left,
        "right": width - right,
        "top": top,
        "bottom": top + plot_h,
        "lines": lines,
        "y_ticks": y_ticks,
        "x_ticks": x_ticks,
    }


@dataclass
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float


def bar_chart(pairs: list[tuple[str, int]], width=640, height=200, label_every: int = 1):
    """Vertical bars, one per (label, value); every ``label_every``-th bar is labelled."""
    left, right, top, bottom = 48, 12, 12, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = nice_ceiling(max((value for _, value in pairs), default=0))
    slot = plot_w / max(len(pairs), 1)
    bars = [
        Bar(
            label=label,
            value=value,
            x=round(left + index * slot + slot * 0.1, 1),
            y=round(top + plot_h - value * plot_h / peak, 1),
            width=round(slot * 0.8, 1),
            height=round(value * plot_h / peak, 1),
        )
        for index, (label, value) in enumerate(pairs)
    ]
    x_labels = [
        (round(bar.x + bar.width / 2, 1), bar.label)
        for index, bar in enumerate(bars)
        if index % label_every == 0
    ]
    y_ticks = [(round(top + plot_h - plot_h * n / 4, 1), f"{peak * n // 4:,}") for n in range(5)]
    return {
        "width": width,
        "height": height,
        "left": left,
        "right": width - right,
        "top": top,
        "bottom": top + plot_h,
        "bars": bars,
        "x_labels": x_labels,
        "y_ticks": y_ticks,
    }
