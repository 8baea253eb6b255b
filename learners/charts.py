"""Geometry of the server-rendered SVG bar chart of a self-diagnostic (no chart library, no script)."""
from __future__ import annotations

from dataclasses import dataclass

# The chart's own coordinate system: 320 units wide, so that at a 360 px phone one unit is about one pixel.
WIDTH = 320
BAR_MAX = 250
ROW = 46
TOP = 4


@dataclass
class Bar:
    key: str
    title: str
    score: int
    previous: int | None
    change: int | None
    label_y: int
    bar_y: int
    width: float
    previous_y: int
    previous_width: float
    value_x: float
    value_y: int
    weak: bool


def diagnostic_chart(result) -> dict:
    """Rows for templates/learners/includes/diagnostic_chart.html from a DiagnosticResult."""
    weakest = {area.key for area in result.weakest}
    bars = []
    for index, area in enumerate(result.areas):
        y = TOP + index * ROW
        width = round(BAR_MAX * area.score / 100, 1)
        bars.append(Bar(
            key=area.key, title=area.title, score=area.score, previous=area.previous, change=area.change,
            label_y=y + 13, bar_y=y + 18, width=max(width, 2), previous_y=y + 35,
            previous_width=round(BAR_MAX * area.previous / 100, 1) if area.previous is not None else 0,
            value_x=max(width, 2) + 6, value_y=y + 30, weak=area.key in weakest,
        ))
    return {"bars": bars, "width": WIDTH, "height": TOP + len(bars) * ROW + 4, "bar_max": BAR_MAX,
            "has_previous": any(bar.previous is not None for bar in bars)}
