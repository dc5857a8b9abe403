"""A static SVG line chart drawn on the server (value against trajectory): no JavaScript, prints
in the PDF report, and always sits beside a table with the same figures (the SVG is hidden from
screen readers). The bars of contributions use ``core.charts.bar_chart``."""

from __future__ import annotations

import math
from dataclasses import dataclass

WIDTH = 640
HEIGHT = 280
LEFT = 70
RIGHT = 20
TOP = 16
BOTTOM = 36


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    estimated: bool


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: int
    bottom_y: float
    right_x: float
    top: int
    trajectory: str  # SVG polyline points
    measured: str
    dots: list[Dot]
    x_ticks: list[Tick]
    y_ticks: list[Tick]


def _nice_step(span: float, count: int = 5) -> float:
    raw = span / count if span > 0 else 1.0
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _label(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", "\u202f")
    return f"{value:,.1f}".replace(",", "\u202f").replace(".", ",")


def line_chart(
    *,
    trajectory: list[tuple[int, float]],
    measured: list[tuple[int, float, bool]],
) -> LineChart:
    """``trajectory``: (year, value) corners of the path; ``measured``: (year, value, estimated)."""
    years = [y for y, _ in trajectory] + [y for y, _, _ in measured]
    values = [v for _, v in trajectory] + [v for _, v, _ in measured]
    first, last = (min(years), max(years)) if years else (2015, 2038)
    if first == last:
        last = first + 1
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    low = min(low, 0.0) if low >= 0 else low
    step = _nice_step(high - low)
    low = math.floor(low / step) * step
    high = math.ceil(high / step) * step
    if high == low:
        high = low + step
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    def x(year: float) -> float:
        return round(LEFT + plot_w * (year - first) / (last - first), 1)

    def y(value: float) -> float:
        return round(TOP + plot_h * (high - value) / (high - low), 1)

    y_ticks = []
    tick = low
    while tick <= high + step / 1000:
        y_ticks.append(Tick(position=y(tick), label=_label(tick)))
        tick += step
    year_step = max(1, math.ceil((last - first) / 8))
    x_ticks = [
        Tick(position=x(year), label=str(year)) for year in range(first, last + 1, year_step)
    ]
    if x_ticks[-1].label != str(last):
        x_ticks.append(Tick(position=x(last), label=str(last)))
    return LineChart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        bottom_y=TOP + plot_h,
        right_x=WIDTH - RIGHT,
        top=TOP,
        trajectory=" ".join(f"{x(a)},{y(b)}" for a, b in trajectory),
        measured=" ".join(f"{x(a)},{y(b)}" for a, b, _ in sorted(measured)),
        dots=[Dot(x=x(a), y=y(b), estimated=e) for a, b, e in sorted(measured)],
        x_ticks=x_ticks,
        y_ticks=y_ticks,
    )


BAR_HEIGHT = 22
BAR_GAP = 8
LABEL_WIDTH = 220


@dataclass(frozen=True)
class Bar:
    label: str
    shown: str
    y: int
    width: float
    text_x: float


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    height: int
    width: int = WIDTH
    label_width: int = LABEL_WIDTH


def bar_chart(rows: list[tuple[str, float, str]]) -> BarChart:
    """Horizontal bars scaled on the largest value; ``rows`` are (label, value, value as shown).
    Long labels are cut with an ellipsis (the table beside has them whole)."""
    top = max((abs(v) for _, v, _ in rows), default=0) or 1
    room = WIDTH - LABEL_WIDTH - 90
    bars = []
    for index, (label, value, shown) in enumerate(rows):
        width = max(room * abs(value) / top, 2 if value else 0)
        bars.append(
            Bar(
                label=label if len(label) <= 32 else label[:31] + "…",
                shown=shown,
                y=index * (BAR_HEIGHT + BAR_GAP),
                width=round(width, 1),
                text_x=round(LABEL_WIDTH + width + 6, 1),
            )
        )
    return BarChart(bars=bars, height=max(len(bars) * (BAR_HEIGHT + BAR_GAP), BAR_HEIGHT))
