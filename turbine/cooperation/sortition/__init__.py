"""Stratified sortition of citizen panels (pure Python + NumPy + HiGHS, no Django).

Typical use::

    from turbine.cooperation.sortition import parse_categories, parse_respondents, select

    quotas = parse_categories(Path("categories.csv"))      # or the file's text
    people = parse_respondents(Path("respondents.csv"), quotas)
    result = select(quotas, people, size=40, algorithm="leximin", seed="4 2 6 1 3")
    result.probabilities     # each respondent's selection probability, in row order
    result.figures           # minimum, median, maximum, Gini coefficient
    result.panel             # 0-based indices of the respondents drawn

Methods: ``leximin`` (:mod:`.leximin`, the fairest known, Flanigan et al., Nature 2021),
``maximin`` (:mod:`.maximin`) and ``legacy`` (:mod:`.legacy`, the older greedy method). The
draw is a uniform lottery over 1,000 panels picked by a published seed (:mod:`.lottery`).
Errors are :class:`SortitionError` subclasses (a ``ValueError``) with a French message:
:class:`CsvError` (names the line), :class:`InfeasibleQuotasError` (says which quotas conflict
and how far to relax them, :mod:`.feasibility`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from turbine.cooperation.sortition.distribution import Distribution
from turbine.cooperation.sortition.errors import CsvError, InfeasibleQuotasError, SortitionError
from turbine.cooperation.sortition.feasibility import Relaxation, check, relaxations
from turbine.cooperation.sortition.legacy import legacy
from turbine.cooperation.sortition.leximin import leximin
from turbine.cooperation.sortition.lottery import TICKETS, Lottery, lottery
from turbine.cooperation.sortition.maximin import maximin
from turbine.cooperation.sortition.quotas import (
    Pool,
    Quota,
    Quotas,
    build_pool,
    parse_categories,
    parse_respondents,
)
from turbine.cooperation.sortition.statistics import Figures, figures, gini

ALGORITHMS = {"leximin": leximin, "maximin": maximin, "legacy": legacy}

__all__ = [
    "ALGORITHMS",
    "TICKETS",
    "CsvError",
    "Distribution",
    "Figures",
    "InfeasibleQuotasError",
    "Lottery",
    "Pool",
    "Quota",
    "Quotas",
    "Relaxation",
    "Selection",
    "SortitionError",
    "build_pool",
    "check",
    "figures",
    "gini",
    "legacy",
    "leximin",
    "lottery",
    "maximin",
    "parse_categories",
    "parse_respondents",
    "relaxations",
    "select",
]


@dataclass
class Selection:
    distribution: Distribution
    lottery: Lottery
    seed: str
    panel: list[int]
    seconds: float

    @property
    def probabilities(self) -> np.ndarray:
        return self.distribution.probabilities

    @property
    def figures(self) -> Figures:
        return figures(self.probabilities)


def select(
    quotas: Quotas,
    people: list[tuple[str, ...]],
    *,
    size: int,
    algorithm: str = "leximin",
    seed: str,
) -> Selection:
    """Computes the distribution with ``algorithm``, rounds it to a lottery and draws the panel
    picked by ``seed``. ``seconds`` covers the whole computation."""
    if algorithm not in ALGORITHMS:
        raise SortitionError(
            f"méthode inconnue « {algorithm} » (méthodes : {', '.join(ALGORITHMS)})."
        )
    started = time.perf_counter()
    pool = build_pool(quotas, people)
    distribution = ALGORITHMS[algorithm](pool, size)
    drawn = lottery(distribution)
    panel = drawn.draw(seed)
    return Selection(distribution, drawn, seed, panel, time.perf_counter() - started)
