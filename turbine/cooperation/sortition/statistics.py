"""Figures published with each draw."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def gini(values: np.ndarray) -> float:
    """The Gini coefficient (0: everyone equal; near 1: all on one)."""
    ordered = np.sort(np.asarray(values, dtype=float))
    total = ordered.sum()
    if len(ordered) == 0 or total <= 0:
        return 0.0
    n = len(ordered)
    ranks = np.arange(1, n + 1)
    return max(0.0, float(2.0 * (ranks @ ordered) / (n * total) - (n + 1) / n))


@dataclass(frozen=True)
class Figures:
    minimum: float
    median: float
    maximum: float
    gini: float


def figures(probabilities: np.ndarray) -> Figures:
    values = np.asarray(probabilities, dtype=float)
    return Figures(
        minimum=float(values.min()),
        median=float(np.median(values)),
        maximum=float(values.max()),
        gini=gini(values),
    )
