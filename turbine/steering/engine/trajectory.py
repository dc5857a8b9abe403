"""An indicator's trajectory: a piecewise-linear path from the baseline through the milestones
to the final target, and the standing of a measured value against it.

Worked example (tested): baseline 2015 = 1 000, target 2038 = 540, no milestone. The path loses
20 a year, so it expects 800 in 2025. A measure of 860 in 2025 is 60 above the path; the path
reached 860 in 2022, so the indicator is 3 years late (lower is better).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Standing:
    year: int
    measured: float
    expected: float
    gap: float  # measured - expected, in the indicator's unit
    on_track: bool
    years_late: float  # > 0: behind the path by that many years; <= 0: on time or ahead


def path_points(
    *, baseline: tuple[int, float], target: tuple[int, float], milestones: list[tuple[int, float]]
) -> list[tuple[int, float]]:
    """The path's corners, by year: the baseline, the milestones strictly between the baseline and
    the target, the target."""
    start, end = baseline, target
    inner = sorted((y, v) for y, v in milestones if start[0] < y < end[0])
    return (
        [(int(start[0]), float(start[1]))]
        + [(int(y), float(v)) for y, v in inner]
        + [(int(end[0]), float(end[1]))]
    )


def expected_value(points: list[tuple[int, float]], year: float) -> float | None:
    """The path's value in ``year``; ``None`` before the baseline; the target's after it."""
    if not points or year < points[0][0]:
        return None
    for (y0, v0), (y1, v1) in zip(points, points[1:], strict=False):
        if y0 <= year <= y1:
            if y1 == y0:
                return v1
            return v0 + (v1 - v0) * (year - y0) / (y1 - y0)
    return points[-1][1]


def year_reached(points: list[tuple[int, float]], value: float) -> float | None:
    """The first year in which the path reaches ``value``; before the baseline, the first
    segment's slope is extended backwards. ``None`` if the path never reaches it."""
    if len(points) < 2:
        return None
    for (y0, v0), (y1, v1) in zip(points, points[1:], strict=False):
        low, high = min(v0, v1), max(v0, v1)
        if low <= value <= high and v1 != v0:
            return y0 + (value - v0) * (y1 - y0) / (v1 - v0)
        if v0 == value:
            return float(y0)
    (y0, v0), (y1, v1) = points[0], points[1]
    if v1 == v0:
        return None
    year = y0 + (value - v0) * (y1 - y0) / (v1 - v0)
    return year if year <= y0 else None


def standing(
    points: list[tuple[int, float]], *, year: int, measured: float, higher_is_better: bool
) -> Standing | None:
    """Where a measure stands against the path; ``None`` when the path says nothing that year."""
    expected = expected_value(points, year)
    if expected is None:
        return None
    gap = measured - expected
    on_track = gap >= 0 if higher_is_better else gap <= 0
    reached = year_reached(points, measured)
    if reached is not None:
        years_late = year - reached
    elif on_track:
        # Beyond the final target already: ahead by the years left to the target's year.
        years_late = float(min(0, year - points[-1][0]))
    else:
        # Not even the baseline's level: behind by at least the years since the baseline.
        years_late = float(year - points[0][0])
    return Standing(
        year=year,
        measured=measured,
        expected=expected,
        gap=gap,
        on_track=on_track,
        years_late=round(years_late, 1) + 0.0,
    )
