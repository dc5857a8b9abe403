"""Static SVG bar charts, drawn on the server: they need no JavaScript, print in a PDF, and always
sit beside a table that gives the same figures (the chart itself is hidden from screen readers)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 240
CHART_WIDTH = 560


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str  # the value as the table shows it (« 12 », « 45 000 € »)
    y: int
    width: float  # of the bar, in SVG units
    text_x: float


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    height: int
    width: int = CHART_WIDTH
    label_width: int = LABEL_WIDTH


def bar_chart(rows: Iterable[tuple[str, float | int | Decimal, str]]) -> BarChart:
    """Horizontal bars scaled on the largest value; ``rows`` are (label, value, value as shown).
    Labels longer than the label column are cut with an ellipsis (the table has them whole)."""
    items = [(label, float(value), shown) for label, value, shown in rows]
    top = max((value for _, value, _ in items), default=0) or 1
    room = CHART_WIDTH - LABEL_WIDTH - 90
    bars = []
    for index, (label, value, shown) in enumerate(items):
        width = max(room * value / top, 2 if value else 0)
        bars.append(
            Bar(
                label=label if len(label) <= 32 else label[:31] + "…",
                value=value,
                shown=shown,
                y=index * (BAR_HEIGHT + GAP),
                width=round(width, 1),
                text_x=round(LABEL_WIDTH + width + 6, 1),
            )
        )
    return BarChart(bars=bars, height=max(len(bars) * (BAR_HEIGHT + GAP), BAR_HEIGHT))
